# replaces: answer_q7
# loses: multiple_choice=1
# why: multi-select with a missing letter: forgets that the spin-flip symmetry of the energy allows flipped copies
answer_q7 = "ad"
