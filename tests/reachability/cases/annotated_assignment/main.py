class Store:
    def put(self):
        pass

def run(factory):
    store: Store = factory()
    store.put()

run(Store)
