from base import Base

class Child(Base):
    def run(self):
        self.helper()

Child().run()
