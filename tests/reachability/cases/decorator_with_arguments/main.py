def retry(times):
    def wrap(f):
        return f
    return wrap

@retry(3)
def work():
    pass
