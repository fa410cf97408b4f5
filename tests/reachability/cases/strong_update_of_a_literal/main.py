def old():
    pass

def new():
    pass

table = {"run": old}
alias = {"run": old}
shared = alias
table["run"] = new
alias["run"] = new
table["run"]()
shared["run"]()
