# replaces: answer_q1
# loses: multiple_choice=1
# why: gives the shape (n_out, n_in) of the weight matrix in the W y convention, not the y @ w convention of the lecture
answer_q1 = "a"
