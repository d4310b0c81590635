# replaces: answer_n5
# loses: numbers=2
# why: diagonalises X^T X without subtracting the mean (1, 2) first
answer_n5 = 0.947311
