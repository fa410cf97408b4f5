def factory():
    class Local:
        def m(self):
            pass
    Local().m()

factory()
