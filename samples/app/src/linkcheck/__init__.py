"""linkcheck: fetch a list of URLs and report which ones are broken."""

from linkcheck.checker import LinkResult, check_links

__all__ = ["LinkResult", "check_links"]
