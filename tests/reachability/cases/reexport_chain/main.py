from outer import fetch

fetch()
