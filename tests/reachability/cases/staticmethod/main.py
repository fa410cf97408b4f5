class A:
    @staticmethod
    def util():
        pass

    def run(self):
        A.util()
        self.util()

A.util()
