from linkcheck.checker import LinkResult


def test_ok_property() -> None:
    assert LinkResult("https://example.org", 200, None).ok
    assert not LinkResult("https://example.org", 404, None).ok
