from ns.part import run

run()
