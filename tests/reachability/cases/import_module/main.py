import helper

helper.work()
