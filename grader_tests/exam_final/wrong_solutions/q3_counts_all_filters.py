# replaces: answer_q3
# loses: multiple_choice=1
# why: counts the weights of all 16 filters (3 * 3 * 4 * 16) instead of one
answer_q3 = "d"
