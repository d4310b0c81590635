# kind: build
# base: reference
# expect: 0
# message: `square` raised an error in your code: 'NotImplementedError
# why: a valid notebook without a single cell
nb.cells = []
