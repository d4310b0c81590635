# replaces: answer_q3
# loses:
# why: the correct options written as a list of upper-case letters in another order must still count
answer_q3 = ["D", "A"]
