# replaces: answer_n5
# loses: numbers=2
# why: uses the Gaussian exp(-|y_i - y_j|^2) of the input space instead of the Student-t kernel of the map
answer_n5 = 0.468120
