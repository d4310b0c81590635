# replaces: square_solution
# base: blank
# expect: 0
# message: [Mm]emory
# why: allocates and touches memory until something gives
hog = []
while True:
    hog.append(bytearray(256 * 2**20))
