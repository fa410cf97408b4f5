# A descriptor instance held as a class attribute (Django's model fields work this way).
class Field:
    def __init__(self, default):
        self.default = default

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return instance.__dict__.get(self.name, self.default)


class Model:
    title = Field("untitled")


def show(model: Model):
    return model.title


show(Model())
