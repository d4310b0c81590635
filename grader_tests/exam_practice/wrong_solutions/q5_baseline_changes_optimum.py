# replaces: answer_q5
# loses: multiple_choice=1
# why: thinks the baseline biases the expected policy-gradient update
answer_q5 = "a"
