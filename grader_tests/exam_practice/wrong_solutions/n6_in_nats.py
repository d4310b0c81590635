# replaces: answer_n6
# loses: numbers=2
# why: uses the natural logarithm, which gives nats instead of bits
answer_n6 = 0.274358
