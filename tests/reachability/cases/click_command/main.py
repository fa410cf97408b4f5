import click

@click.command()
@click.option("--name")
def cli(name):
    greet(name)

def greet(name):
    click.echo(name)
