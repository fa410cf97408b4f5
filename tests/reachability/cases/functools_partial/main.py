import functools

def send(host, msg):
    pass

to_local = functools.partial(send, "localhost")
to_local("hi")
