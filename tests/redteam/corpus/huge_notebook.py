# kind: build
# base: reference
# expect: 0
# message: notebooks larger than 32 MB are not graded
# why: a 40 MB notebook (one giant output)
nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="z" * (40 * 2**20))]
