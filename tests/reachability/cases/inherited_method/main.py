class Base:
    def hello(self):
        pass

class Child(Base):
    pass

Child().hello()
