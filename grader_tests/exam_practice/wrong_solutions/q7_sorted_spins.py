# replaces: answer_q7
# loses: multiple_choice=1
# why: sorting keeps only the magnetisation and throws away which spins are neighbours
answer_q7 = "d"
