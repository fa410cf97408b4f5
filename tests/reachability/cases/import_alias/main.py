import helper as h
from helper import work as w

h.work()
w()
