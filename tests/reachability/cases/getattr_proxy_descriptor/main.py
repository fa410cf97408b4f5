# werkzeug.local.LocalProxy style: the module-level proxy is annotated as what it stands for,
# and every missing attribute goes through a descriptor held as __getattr__.
import functools


class _ProxyLookup:
    def __init__(self, f):
        self.f = f

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return functools.partial(self.__call__, instance)

    def __call__(self, instance, *args):
        return self.f(instance._get_current_object(), *args)


class LocalProxy:
    __getattr__ = _ProxyLookup(getattr)

    def __init__(self, target):
        self._target = target

    def _get_current_object(self):
        return self._target


class Session:
    def send(self, url):
        return url


session: Session = LocalProxy(Session())


def fetch(url):
    return session.send(url)


fetch("https://example.org")
