# replaces: answer_n5
# loses: numbers=2
# why: gives the fraction of the smaller eigenvalue, (14 - sqrt(137)) / 28
answer_n5 = 0.081975
