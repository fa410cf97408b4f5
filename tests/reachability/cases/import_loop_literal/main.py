# requests/packages.py style: re-export modules named in a literal tuple
for package in ("alpha", "beta"):
    locals()[package] = __import__(package)
