# replaces: answer_n6
# loses: numbers=2
# why: gives the entropy H(Y) of the marginal (0.3, 0.7) instead of the information shared with X
answer_n6 = 0.881291
