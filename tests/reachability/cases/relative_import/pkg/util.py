def tidy():
    pass
