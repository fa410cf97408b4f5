class Failure(Exception):
    def __init__(self):
        pass

def fail():
    raise Failure

fail()
