from registry import default

default.add()
