class App:
    def route(self, path):
        def register(f):
            return f
        return register

app = App()

@app.route("/")
def index():
    helper()

def helper():
    pass
