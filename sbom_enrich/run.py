"""Turn a loaded document into the enriched output SBOM: enrich, apply, check, serialize."""

from __future__ import annotations

from collections.abc import Mapping

from cyclonedx.schema import SchemaVersion

from sbom_enrich.advisories.collect import ComponentAdvisories
from sbom_enrich.advisories.triage import Triage
from sbom_enrich.cyclonedx.additions import apply_additions
from sbom_enrich.cyclonedx.validate import strict_unknown_keys, validate_tree
from sbom_enrich.cyclonedx.write import OutputKind, serialize
from sbom_enrich.errors import IncompatibleSpecVersionError, SchemaValidationError
from sbom_enrich.model.bom import BomDocument
from sbom_enrich.model.reach import Reach
from sbom_enrich.trust.assess import TrustRun
from sbom_enrich.writeback.additions import build_additions

__all__ = ["render_enriched"]


def render_enriched(
    document: BomDocument,
    *,
    trust: TrustRun | None = None,
    advisories: tuple[ComponentAdvisories, ...] = (),
    triage: Triage | None = None,
    reach: Mapping[str, Reach] | None = None,
    output_kind: OutputKind = "json",
    output_version: SchemaVersion | None = None,
) -> bytes:
    """Return the serialized output SBOM: ``document`` plus our additions.

    The additions are the ``trust`` results, the ``advisories`` per component, and the
    ``triage``'s findings as ``vulnerabilities[]`` (see :func:`.enrich.build_additions`).

    When ``output_version`` differs from the input's, the result is validated against the target
    schema, and content the target cannot express raises
    :class:`~sbom_enrich.errors.IncompatibleSpecVersionError` naming the JSON path.
    """
    target = output_version or document.spec_version
    additions = build_additions(
        document, trust, target, advisories=advisories, triage=triage, reach=reach
    )
    tree = apply_additions(
        document.tree, additions, source_version=document.spec_version, target_version=target
    )
    if target != document.spec_version:
        try:
            validate_tree(tree, target, source=document.source)
        except SchemaValidationError as err:
            raise IncompatibleSpecVersionError(
                f"{err.message}; the input cannot be written as CycloneDX {target.to_version()}"
            ) from err
        # Keys the input's own version defines but the target's strict schema does not would
        # make the output invalid for its target; keys unknown to both are kept, as always.
        kept = set(strict_unknown_keys(document.tree, document.spec_version))
        lost = [key for key in strict_unknown_keys(tree, target) if key not in kept]
        if lost:
            raise IncompatibleSpecVersionError(
                f"{document.source}: {lost[0]}: not part of CycloneDX {target.to_version()}; "
                f"the input cannot be written as CycloneDX {target.to_version()}",
            )
    return serialize(tree, output_kind, target)
