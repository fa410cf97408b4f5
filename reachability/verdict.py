"""The reachability verdict scale, from the strongest claim of risk to the weakest.

``unknown`` ranks above ``not-reachable``: it is never evidence that code does not run.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["VERDICTS", "Verdict"]

Verdict = Literal["reachable", "imported", "not-reachable", "unknown"]

VERDICTS: tuple[Verdict, ...] = ("reachable", "imported", "unknown", "not-reachable")
"""Every verdict, highest risk first."""
