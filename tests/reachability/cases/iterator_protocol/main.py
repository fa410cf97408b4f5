class Countdown:
    def __iter__(self):
        return self

    def __next__(self):
        raise StopIteration

def run():
    items = Countdown()
    for item in items:
        pass

run()
