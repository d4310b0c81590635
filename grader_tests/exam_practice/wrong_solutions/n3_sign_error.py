# replaces: answer_n3
# loses: numbers=2
# why: uses (t - y2) instead of (y2 - t) as the derivative of the cost
answer_n3 = -0.013941
