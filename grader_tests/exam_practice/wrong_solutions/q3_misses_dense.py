# replaces: answer_q3
# loses: multiple_choice=1
# why: multi-select with a missing letter: only the convolution is named, Dense is forgotten
answer_q3 = "a"
