def run():
    import helper
    helper.work()

run()
