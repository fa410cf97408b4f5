"""Shared by the benchmarks that time installed tools: run them from compiled bytecode."""

from __future__ import annotations

import os

WITH_BYTECODE = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""The environment to run a timed tool in, as installed ones run: pip compiles a tool's modules
at install time, an editable install of ours has none until a run writes them, and these
machines set PYTHONDONTWRITEBYTECODE, which made every run of ours compile about 120 modules
(0.1 s)."""
