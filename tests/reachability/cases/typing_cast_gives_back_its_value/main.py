import typing as t


def setup(f):
    def wrapper(self, *args):
        return f(self, *args)

    return t.cast(object, wrapper)


class App:
    @setup
    def route(self, rule):
        def decorator(view):
            return view

        return decorator


app = App()


@app.route("/")
def index():
    pass
