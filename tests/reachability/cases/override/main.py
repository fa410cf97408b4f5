class Base:
    def m(self):
        pass

class Child(Base):
    def m(self):
        pass

Child().m()
