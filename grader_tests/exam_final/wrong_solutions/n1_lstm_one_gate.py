# replaces: answer_n1
# loses: numbers=2
# why: counts the LSTM like a simple recurrent layer, forgetting the factor 4 for its gates
answer_n1 = (32 * (10 + 32) + 32) + (32 * 3 + 3)
