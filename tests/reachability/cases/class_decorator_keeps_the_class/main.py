from dataclasses import dataclass


def register(cls):
    return None


@dataclass
class Point:
    x: int = 0

    def norm(self):
        pass


@register
class Plugin:
    def start(self):
        pass


Point().norm()
Plugin().start()
