# replaces: answer_n7
# loses: numbers=2
# why: counts only the case that all three bits flip, p^3
answer_n7 = 0.000125
