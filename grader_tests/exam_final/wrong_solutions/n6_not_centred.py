# replaces: answer_n6
# loses: numbers=2
# why: diagonalises X^T X / n without subtracting the mean (an axis through the origin)
answer_n6 = 0.479203
