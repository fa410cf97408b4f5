class Widget:
    def __init__(self):
        pass


def build(cls=None):
    return cls()


def main():
    attrs = {}
    build(**attrs)
    attrs["cls"] = Widget


main()
