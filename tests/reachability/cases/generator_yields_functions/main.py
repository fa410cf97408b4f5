def task():
    pass

def tasks():
    yield task

for job in tasks():
    job()
