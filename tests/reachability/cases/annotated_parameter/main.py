class Client:
    def get(self):
        pass

def use(client: Client):
    client.get()

use(Client())
