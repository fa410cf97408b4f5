def register(cls):
    return cls

@register
class Plugin:
    pass
