import pkg

pkg.fetch()
