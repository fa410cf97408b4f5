"""Render link results as HTML with Jinja2."""

from __future__ import annotations

from jinja2 import Environment, select_autoescape

from linkcheck.checker import LinkResult

_TEMPLATE = """
<h1>{{ title }}</h1>
<ul>
{% for r in results %}<li class="{{ 'ok' if r.ok else 'broken' }}" {{ attrs|xmlattr }}>{{ r.url }}: {{ r.status or r.error }}</li>
{% endfor %}</ul>
"""


def render_report(title: str, results: list[LinkResult], attrs: dict[str, str]) -> str:
    env = Environment(autoescape=select_autoescape())
    template = env.from_string(_TEMPLATE)
    return template.render(title=title, results=results, attrs=attrs)
