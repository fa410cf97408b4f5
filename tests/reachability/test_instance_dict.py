"""``obj.__dict__`` and ``vars(obj)`` of an instance expose every attribute stored on it.

Their reader is taken as code of unknown type: it may get and call any attribute, so the
functions stored on the instance escape there and its objects are handed there. Before,
``for function in vars(self).values(): function()`` left the stored functions not-reachable.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from analyzed_app import reach_library

HOLDER = (
    "def early():\n    pass\n\ndef late():\n    pass\n\ndef never():\n    pass\n\n"
    "class Helper:\n    def run(self):\n        pass\n\n"
    "class Holder:\n"
    "    def __init__(self):\n        self.first = early\n        self.helper = Helper()\n\n"
    "    def call_all(self):\n"
    "        for function in {reading}.values():\n            function()\n\n"
    "holder = Holder()\n"
    "holder.call_all()\n"
    "holder.second = late\n"
)


@pytest.mark.parametrize("reading", ["vars(self)", "self.__dict__", "getattr(self, '__dict__')"])
def test_what_the_instance_dict_may_give_is_never_ruled_out(tmp_path: Path, reading: str) -> None:
    reach = reach_library(tmp_path, "", HOLDER.format(reading=reading))
    assert reach.verdict("main.early").verdict == "reachable"
    assert reach.verdict("main.late").verdict == "reachable"  # stored after the read
    assert reach.verdict("main.Helper.run").verdict == "unknown"  # handed there
    assert reach.verdict("main.never").verdict == "not-reachable"


def test_an_instance_whose_dict_nobody_reads_keeps_its_attributes(tmp_path: Path) -> None:
    reach = reach_library(
        tmp_path, "", HOLDER.format(reading="{}").replace("holder.call_all()\n", "")
    )
    assert reach.verdict("main.early").verdict == "not-reachable"
