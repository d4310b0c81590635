# replaces: mean_solution
# base: reference
# expect: 3
# message: output was cut
# why: shows 3000 small outputs under one display id, then updates them all with 1 MB each (3 GB if every copy were kept)
from IPython.display import display, update_display


def mean_of(values):
    return float(np.mean(values))


for _ in range(3000):
    display({"text/plain": "."}, raw=True, display_id="flood")
for _ in range(20):
    update_display({"text/plain": "u" * 2**20}, raw=True, display_id="flood")
