class Conn:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def query(self):
        pass

with Conn() as c:
    c.query()
