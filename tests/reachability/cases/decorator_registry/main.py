HANDLERS = []


def register(f):
    HANDLERS.append(f)  # kept: the registry may call it later
    return f


@register
def work():
    pass
