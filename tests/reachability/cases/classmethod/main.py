class A:
    @classmethod
    def make(cls):
        return cls.build()

    @classmethod
    def build(cls):
        pass

A.make()
