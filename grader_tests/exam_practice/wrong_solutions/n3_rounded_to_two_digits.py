# replaces: answer_n3
# loses: numbers=2
# why: the right gradient rounded to two significant digits, outside the 0.2 % tolerance
answer_n3 = 0.014
