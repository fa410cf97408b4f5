def one():
    pass

def two():
    pass

def apply(*callbacks, **named):
    for callback in callbacks:
        callback()
    named["last"]()

apply(one, last=two)
