# kind: build
# base: reference
# expect: 3
# message: PASS
# why: files named with ../, unicode, control characters and undecodable bytes; the notebook writes ../ paths too
(folder / "..hidden..").write_text("x")
(folder / "Übung_📓_δ.txt").write_text("unicode")
(folder / "new\nline.txt").write_text("x")
os.makedirs(folder / "sub" / "..." , exist_ok=True)
with open(os.path.join(os.fsencode(folder), b"bad-\xff-name.txt"), "w") as handle:
    handle.write("x")
nb = fill(nb, "square_solution", '''def square(x):
    return x * x


for path in ("../escape.txt", "../../escape.txt", "../../../../../../etc/escape.txt"):
    try:
        open(path, "w").write("x")
    except OSError:
        pass
print(open("Übung_📓_δ.txt").read())''')
