"""Reachability for components: verdicts from the call graph, vulnerable symbols."""
