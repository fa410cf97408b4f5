class A:
    def run(self):
        self.step()

    def step(self):
        pass

A().run()
