class Money:
    def __add__(self, other):
        return self

def total():
    a = Money()
    b = Money()
    return a + b

total()
