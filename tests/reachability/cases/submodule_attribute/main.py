import pkg.tools

pkg.tools.run()
