import sys

PY2 = sys.version_info[0] == 2
PY3 = sys.version_info[0] == 3


def modern():
    pass


def legacy():
    pass


def older_minor():
    pass


if PY3:
    modern()
else:
    legacy()

if not PY2:
    modern()

if sys.version_info < (3,):
    legacy()
elif sys.version_info >= (3, 0):
    modern()

if sys.version_info >= (3, 8):  # depends on the minor version: both kept
    modern()
else:
    older_minor()

PY3 = len(sys.argv) > 1  # rebound: no longer decided
if PY3:
    modern()
else:
    legacy()
