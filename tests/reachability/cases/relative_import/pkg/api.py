from .core import go
from . import util

def run():
    go()
    util.tidy()
