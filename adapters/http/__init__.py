"""HTTP: the one client stack every adapter uses, and recorded responses for replay."""
