# replaces: answer_q2
# loses: multiple_choice=1
# why: multi-select with a missing letter: forgets that more training data also fights overfitting
answer_q2 = "bd"
