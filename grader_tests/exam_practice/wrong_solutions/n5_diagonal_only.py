# replaces: answer_n5
# loses: numbers=2
# why: takes the larger variance along a coordinate axis, 18 / 28, and ignores the covariance 11
answer_n5 = 0.642857
