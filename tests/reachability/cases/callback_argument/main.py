def apply(fn):
    return fn()

def task():
    pass

apply(task)
