class Client:
    def get(self):
        pass

def make() -> Client:
    return Client()

def run():
    c = make()
    c.get()

run()
