# replaces: answer_n4
# loses: numbers=2
# why: the right value rounded to two significant digits, outside the 0.2 % tolerance
answer_n4 = 0.18
