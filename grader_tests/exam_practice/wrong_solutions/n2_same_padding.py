# replaces: answer_n2
# loses: numbers=2
# why: computes the output side as 64 / 2 = 32, as if the padding were "same"
answer_n2 = 32 * 32 * 12
