def first():
    pass

def second():
    pass

handler = first
handler()
handler = second
handler()

def later():
    handler()

later()
