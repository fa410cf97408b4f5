"""Hypothesis strategies for JSON values and CycloneDX-shaped documents."""

from __future__ import annotations

from hypothesis import strategies as st

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)

COMPONENT_KEYS = ["type", "name", "version", "purl", "bom-ref", "scope", "hashes", "components"]
plausible_component = st.fixed_dictionaries(
    {"type": st.sampled_from(["library", "application", "file"]), "name": st.text(max_size=12)},
    optional={
        "version": st.text(max_size=8),
        "purl": st.sampled_from(["pkg:pypi/x@1", "pkg:npm/y@2", "pkg:pypi/z", "junk"])
        | st.text(max_size=16),
        "bom-ref": st.text(max_size=6),
        "scope": st.sampled_from(["required", "optional", "excluded"]),
        "x-unknown": json_values,
    },
)
component_like = plausible_component | st.dictionaries(
    st.sampled_from(COMPONENT_KEYS), json_values, max_size=8
)
bom_like = st.fixed_dictionaries(
    {
        "bomFormat": st.sampled_from(["CycloneDX"] * 8 + ["cyclonedx"]) | json_values,
        "specVersion": st.sampled_from(["1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8"]),
    },
    optional={
        "version": st.integers(1, 3),
        "components": st.lists(plausible_component, max_size=4)
        | st.lists(component_like, max_size=4),
        "dependencies": json_values,
        "metadata": json_values,
    },
)
