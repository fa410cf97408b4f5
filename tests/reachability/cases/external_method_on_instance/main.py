import requests

def fetch():
    session = requests.Session()
    session.get("https://example.org")

fetch()
