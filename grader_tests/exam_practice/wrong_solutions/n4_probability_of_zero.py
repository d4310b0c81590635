# replaces: answer_n4
# loses: numbers=2
# why: gives P(h = 0 | v) = 1 - sigma(b + v W) instead of P(h = 1 | v)
answer_n4 = 0.42556
