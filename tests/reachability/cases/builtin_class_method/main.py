class Error(Exception):
    def __init__(self, message):
        Exception.__init__(self, message)


class Holder:
    def __init__(self, callback):
        object.__setattr__(self, "callback", callback)


def handler():
    pass


def main():
    Error("failed")
    Holder(handler)


main()
