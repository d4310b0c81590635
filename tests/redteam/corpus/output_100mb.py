# replaces: square_solution
# base: blank
# expect: 0
# message: output was cut
# why: prints 100 MB, in one piece and in many lines
print("x" * (50 * 2**20))
for _ in range(50_000):
    print("y" * 1000)
