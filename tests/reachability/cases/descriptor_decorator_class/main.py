# werkzeug.utils.cached_property style: a decorator class whose __get__ runs on every read.
class cached_property:
    def __init__(self, fget):
        self.fget = fget

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = self.fget(obj)
        obj.__dict__[self.fget.__name__] = value
        return value


class Request:
    @cached_property
    def form(self):
        return {"url": "https://example.org"}


def view(request: Request):
    return request.form


view(Request())
