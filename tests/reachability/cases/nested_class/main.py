class Outer:
    class Inner:
        def m(self):
            pass

    def run(self):
        self.Inner().m()

Outer().run()
