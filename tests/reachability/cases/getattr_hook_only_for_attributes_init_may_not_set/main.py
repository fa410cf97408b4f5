class Proxy:
    def __init__(self, target):
        self._target = target

    def __getattr__(self, name):
        return fallback()

    def read(self):
        return self._target


def fallback():
    pass


def main():
    proxy = Proxy(1)
    proxy.read()
    proxy.missing


main()
