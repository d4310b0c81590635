# replaces: answer_n4
# loses: numbers=2
# why: uses the probability of the action taken, pi(2), in d ln pi(2) / d theta_1 instead of pi(1)
answer_n4 = 0.22449
