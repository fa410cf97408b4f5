def setup():
    pass


setup()
