class LogMixin:
    def log(self):
        pass

class Base:
    def save(self):
        self.log()

class Model(LogMixin, Base):
    pass

m = Model()
m.save()
