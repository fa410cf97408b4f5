def f(g, k):
    g(k, g)


def h(a, b):
    pass


f(f, h)
