from impl import fetch
