class Worker:
    def run(self):
        schedule(self.tick)

    def tick(self):
        pass

def schedule(fn):
    fn()

Worker().run()
