"""Fetch URLs over HTTP and classify the answers."""

from __future__ import annotations

from dataclasses import dataclass

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry


@dataclass(frozen=True)
class LinkResult:
    url: str
    status: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400


def make_session(retries: int = 2) -> requests.Session:
    session = requests.Session()
    retry = Retry(total=retries, backoff_factor=0.2, status_forcelist=(502, 503, 504))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    session.mount("http://", HTTPAdapter(max_retries=retry))
    return session


def check_one(session: requests.Session, url: str, proxy: str | None = None) -> LinkResult:
    proxies = {"https": proxy, "http": proxy} if proxy else None
    try:
        response = session.get(url, timeout=5, allow_redirects=True, proxies=proxies)
    except requests.RequestException as err:
        return LinkResult(url=url, status=None, error=str(err))
    return LinkResult(url=url, status=response.status_code, error=None)


def check_links(urls: list[str], proxy: str | None = None) -> list[LinkResult]:
    session = make_session()
    return [check_one(session, url, proxy) for url in urls]
