"""The root of what adapters raise when their input or their state cannot be used.

An upstream service that does not answer is never an exception here: lookups return
:class:`~sbom_enrich.model.index.Unavailable`. What *is* raised is a local problem the user
must fix, and :func:`sbom_enrich.wiring.core_error` turns it into the core's error with its
exit code::

    AdapterError
    ├── StoreError              (store.backend)  the state store cannot be opened or is too new
    ├── AdvisoryDatabaseError   (advisories.database)  a path holds no readable OSV records
    ├── NotRecordedError        (http.recording)  a replay directory lacks a response
    │   └── BadRecordingError   a recorded response cannot be read
    ├── KevError                (advisories.kev)  a --kev file is not a KEV catalog
    ├── UnreadableDistribution  (pypi.distributions)  a distribution file is not a readable archive
    └── FactsDecodeError        (store.facts_codec)  a cached facts record cannot be decoded
"""

from __future__ import annotations

__all__ = ["AdapterError"]


class AdapterError(Exception):
    """An adapter's input or state cannot be used; the message names it and says why."""
