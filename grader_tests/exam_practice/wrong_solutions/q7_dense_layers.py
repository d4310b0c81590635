# replaces: answer_q7
# loses: multiple_choice=1
# why: dense layers on the L spins neither know that a shift leaves the energy unchanged nor work for another L
answer_q7 = "a"
