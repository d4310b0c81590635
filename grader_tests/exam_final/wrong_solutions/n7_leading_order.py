# replaces: answer_n7
# loses: numbers=2
# why: keeps only the leading order C(5,3) p^3, 17 % too large
answer_n7 = 0.01
