def setup():
    pass

setup()
