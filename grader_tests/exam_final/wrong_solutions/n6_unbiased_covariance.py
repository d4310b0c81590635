# replaces: answer_n6
# loses: numbers=2
# why: takes the covariance with 1/(n-1), so the second eigenvalue is 4/3 of the mean squared error
answer_n6 = 0.584596
