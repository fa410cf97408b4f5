def target():
    pass

def factory():
    return target

factory()()
