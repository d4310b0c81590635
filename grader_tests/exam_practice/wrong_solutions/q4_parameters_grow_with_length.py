# replaces: answer_q4
# loses: multiple_choice=1
# why: multi-select with an extra letter: believes the LSTM has more parameters for longer sequences
answer_q4 = "abcd"
