class User:
    @property
    def name(self):
        return load()

def load():
    pass

def show(user: User):
    return user.name

show(User())
