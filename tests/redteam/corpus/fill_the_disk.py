# replaces: square_solution
# base: blank
# expect: 0
# message: No space left|File too large|Disk quota
# why: writes files until the disk is full, in its folder and in /tmp
import itertools
chunk = b"x" * (16 * 2**20)
for folder in (".", "/tmp"):
    for n in itertools.count():
        with open(f"{folder}/fill-{n}", "wb") as handle:
            for _ in range(8):
                handle.write(chunk)
