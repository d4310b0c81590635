# replaces: answer_n2
# loses: numbers=2
# why: ignores the stride 2 of the last convolution: (47 - 5 + 1) squared times 6
answer_n2 = 43 * 43 * 6
