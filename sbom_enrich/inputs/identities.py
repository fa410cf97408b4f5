"""Fill a pylock.toml's attestation identities from verified provenance (--write-identities).

What the ``pylock-attestations`` tool does by hand: for each locked package whose release's
PEP 740 provenance verified, add the publisher it proves as
``[[packages.attestation-identities]]`` (``kind``, ``repository``, ``workflow``, and
``environment`` only when the signing certificate carries it). Packages that already pin
identities are left as they are; so is everything else in the file (tomlkit keeps its
formatting and comments).
"""

from __future__ import annotations

from collections.abc import Mapping

import tomlkit
from packaging.utils import canonicalize_name
from tomlkit.exceptions import TOMLKitError

from sbom_enrich.errors import MalformedInputError
from sbom_enrich.model.facts import PublisherIdentity

__all__ = ["with_identities"]


def with_identities(
    text: str, publishers: Mapping[tuple[str, str], PublisherIdentity], source: str
) -> tuple[str, int]:
    """``text`` (a pylock.toml) with identities added, and how many packages gained one.

    ``publishers`` maps (normalized name, version) to the verified publisher of that release.
    """
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as err:
        raise MalformedInputError(f"{source}: not valid TOML: {err}") from err
    added = 0
    for package in document.get("packages", []):
        key = (canonicalize_name(str(package.get("name", ""))), str(package.get("version", "")))
        publisher = publishers.get(key)
        if publisher is None or "attestation-identities" in package:
            continue
        identity = tomlkit.table()
        identity["kind"] = publisher.kind
        for name in ("repository", "workflow"):
            value = getattr(publisher, name)
            if value:
                identity[name] = value
        if publisher.environment and publisher.environment_verified:
            identity["environment"] = publisher.environment
        identity.add(tomlkit.nl())
        identities = tomlkit.aot()
        identities.append(identity)
        package["attestation-identities"] = identities
        added += 1
    return tomlkit.dumps(document), added
