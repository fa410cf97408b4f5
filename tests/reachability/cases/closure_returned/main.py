def make_adder():
    def add():
        pass
    return add

adder = make_adder()
