import requests

def fetch():
    return requests.get("https://example.org")

fetch()
