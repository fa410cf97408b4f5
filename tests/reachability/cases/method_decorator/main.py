def cached(f):
    return f

class A:
    @cached
    def value(self):
        pass

A().value()
