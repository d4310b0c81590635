# replaces: answer_n7
# loses: numbers=2
# why: counts only exactly three flips, 10 p^3 (1-p)^2, and forgets four and five flips
answer_n7 = 0.0081
