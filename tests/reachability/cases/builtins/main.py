def run():
    print(len([1, 2]))

run()
