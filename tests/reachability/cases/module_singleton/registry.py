class Registry:
    def add(self):
        pass

default = Registry()
