# replaces: square_solution
# base: blank
# expect: 0
# message: \[FAIL\] square
# why: replaces pytest and builtins (abs, isinstance, AssertionError) inside the kernel, then answers wrongly
import builtins, sys, types
fake = types.ModuleType("pytest")
fake.main = lambda *a, **k: 0
sys.modules["pytest"] = fake
builtins.abs = lambda value: 0
builtins.isinstance = lambda *a: True
builtins.AssertionError = type("AssertionError", (Exception,), {})


def square(x):
    return "x squared"
