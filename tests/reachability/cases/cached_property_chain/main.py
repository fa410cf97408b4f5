from functools import cached_property

class Form:
    def getlist(self, key):
        return []

class Request:
    @cached_property
    def form(self) -> "Form[str]":
        return Form()

def view(request: Request):
    return request.form.getlist("url")

view(Request())
