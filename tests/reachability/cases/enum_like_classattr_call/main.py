class Config:
    @classmethod
    def load(cls):
        return cls()

    def __init__(self):
        pass

Config.load()
