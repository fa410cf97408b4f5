import asyncio

async def fetch():
    pass

async def main():
    await fetch()

asyncio.run(main())
