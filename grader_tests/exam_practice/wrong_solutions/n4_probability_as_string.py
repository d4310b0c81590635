# replaces: answer_n4
# loses: numbers=2
# why: the right probability, but written as a string, which is not a number
answer_n4 = "0.5744"
