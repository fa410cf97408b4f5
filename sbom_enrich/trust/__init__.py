"""Trust: facts about each PyPI component assessed into levels, signals and gaps."""
