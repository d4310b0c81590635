# replaces: answer_q5
# loses: multiple_choice=1
# why: multi-select with an extra letter: mixes Q-learning up with policy gradient
answer_q5 = "abcd"
