def f():
    pass

f()
