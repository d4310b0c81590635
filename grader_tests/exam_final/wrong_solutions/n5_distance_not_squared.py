# replaces: answer_n5
# loses: numbers=2
# why: puts the distance |y_i - y_j| instead of its square into the kernel
answer_n5 = 0.218847
