# kind: build
# base: reference
# expect: 3
# message: PASS
# why: submits a 200 MB file beside a correct notebook; the file is not copied, the notebook is graded
with open(folder / "data.bin", "wb") as handle:
    handle.truncate(200 * 2**20)
