# replaces: answer_n6
# loses: numbers=2
# why: gives the variance kept along the first axis instead of the variance lost along the second
answer_n6 = 4.561553
