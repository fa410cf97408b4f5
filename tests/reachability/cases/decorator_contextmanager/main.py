import contextlib


@contextlib.contextmanager
def opened():
    yield 1


@contextlib.contextmanager
def unused():
    yield 2


with opened():
    pass
