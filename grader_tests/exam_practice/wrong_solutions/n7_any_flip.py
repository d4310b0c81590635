# replaces: answer_n7
# loses: numbers=2
# why: counts every flip as an error, 1 - (1 - p)^3, as if there were no majority vote
answer_n7 = 0.142625
