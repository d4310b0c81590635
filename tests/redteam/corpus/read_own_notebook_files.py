# replaces: mean_solution
# base: reference
# expect: 3
# message: notebook files seen: \[\]
# why: prints every notebook file in its working folder and home, where mark schemes and restored instructor cells would show
import glob, os


def mean_of(values):
    return float(np.mean(values))


seen = sorted(set(glob.glob("*.ipynb") + glob.glob("**/*.ipynb", recursive=True) + glob.glob(os.path.expanduser("~/**/*.ipynb"), recursive=True)
                  + glob.glob("/run/submission/**/*.ipynb", recursive=True) + glob.glob("/tmp/**/*.ipynb", recursive=True)))
print("notebook files seen:", seen)
for path in seen:
    print(open(path).read())
