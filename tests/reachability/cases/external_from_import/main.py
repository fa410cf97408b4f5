from os.path import join

join("a", "b")
