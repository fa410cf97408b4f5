from inner import fetch as fetch
