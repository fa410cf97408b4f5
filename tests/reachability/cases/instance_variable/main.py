class Client:
    def get(self):
        pass

def run():
    c = Client()
    c.get()

run()
