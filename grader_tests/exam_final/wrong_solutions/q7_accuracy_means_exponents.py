# replaces: answer_q7
# loses: multiple_choice=1
# why: multi-select with an extra letter: takes a high accuracy far from T_c for knowledge of the critical behaviour
answer_q7 = "abcd"
