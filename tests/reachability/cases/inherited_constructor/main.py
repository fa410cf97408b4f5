class A:
    def __init__(self):
        pass

class B(A):
    pass

B()
