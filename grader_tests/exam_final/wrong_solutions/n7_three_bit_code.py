# replaces: answer_n7
# loses: numbers=2
# why: uses the three-bit code's 3 p^2 (1-p) + p^3 instead of the five-bit code's
answer_n7 = 0.028
