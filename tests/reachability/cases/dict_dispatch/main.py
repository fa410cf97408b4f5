def start():
    pass

def stop():
    pass

HANDLERS = {"start": start, "stop": stop}

def handle(cmd):
    HANDLERS[cmd]()

handle("start")
