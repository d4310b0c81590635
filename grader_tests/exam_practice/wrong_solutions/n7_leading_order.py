# replaces: answer_n7
# loses: numbers=2
# why: keeps only the leading order 3 p^2, 3.4 % too large
answer_n7 = 0.0075
