# replaces: answer_q7
# loses: multiple_choice=1
# why: sees only the estimate of T_c and misses the correlated snapshots and the symmetry
answer_q7 = "d"
