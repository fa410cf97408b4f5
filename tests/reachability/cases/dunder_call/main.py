class Handler:
    def __call__(self):
        pass

h = Handler()
h()
