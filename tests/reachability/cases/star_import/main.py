from helper import *

work()
