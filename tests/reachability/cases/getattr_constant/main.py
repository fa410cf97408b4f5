class A:
    def ping(self):
        pass

getattr(A(), "ping")()
