class Base:
    def m(self):
        pass

class Left(Base):
    pass

class Right(Base):
    def m(self):
        pass

class Bottom(Left, Right):
    pass

Bottom().m()
