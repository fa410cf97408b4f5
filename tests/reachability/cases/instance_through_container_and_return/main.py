class Engine:
    def start(self):
        pass

def build():
    return [Engine()]

def first(items):
    return items[0]

first(build()).start()
