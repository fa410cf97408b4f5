class Session:
    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def __aiter__(self):
        return self

    async def __anext__(self):
        raise StopAsyncIteration

    def __iter__(self):
        return self


async def run():
    async with Session() as session:
        async for _item in session:
            pass


run()
