# replaces: answer_n1
# loses: numbers=2
# why: counts only the weights of the three layers and forgets their biases
answer_n1 = 3 * 3 * 1 * 8 + 3 * 3 * 8 * 16 + 12 * 12 * 16 * 10
