# replaces: answer_n3
# loses: numbers=2
# why: uses (t - y) instead of (y - t) as the derivative of the cost
answer_n3 = 0.78375
