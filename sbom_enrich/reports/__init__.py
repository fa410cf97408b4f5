"""Reports for people and machines: terminal, Markdown, HTML, JSON, SARIF."""
