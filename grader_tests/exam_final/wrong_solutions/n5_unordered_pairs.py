# replaces: answer_n5
# loses: numbers=2
# why: normalises over the three unordered pairs instead of the six ordered pairs: (1/2) / (13/15)
answer_n5 = 0.576923
