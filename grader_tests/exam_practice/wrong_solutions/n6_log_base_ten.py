# replaces: answer_n6
# loses: numbers=2
# why: uses the decimal logarithm (digits instead of bits)
answer_n6 = 0.119152
