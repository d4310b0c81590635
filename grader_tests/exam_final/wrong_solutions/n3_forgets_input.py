# replaces: answer_n3
# loses: numbers=2
# why: stops the chain rule at z_1 and forgets the factor x_1 = 1.5
answer_n3 = -0.5225
