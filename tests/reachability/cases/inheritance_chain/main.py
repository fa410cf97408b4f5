class A:
    def m(self):
        pass

class B(A):
    pass

class C(B):
    def run(self):
        self.m()

c = C()
c.run()
