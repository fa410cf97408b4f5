import functools

class Job:
    def run(self):
        pass

def call_run(job):
    job.run()

bound = functools.partial(call_run, Job())
bound()
