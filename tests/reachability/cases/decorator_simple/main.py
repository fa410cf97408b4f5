def trace(f):
    return f

@trace
def work():
    pass
