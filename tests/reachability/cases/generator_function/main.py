def numbers():
    yield helper()

def helper():
    return 1

for n in numbers():
    pass
