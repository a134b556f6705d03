"""Validation of data files in five layers, reported as one list of findings.

One module per layer, each independent of the others: 1. ``syntax``, 2. ``vocabulary``,
3. ``shapes`` (SHACL), 4. ``ontology`` (OWL consistency, HermiT), 5. ``rules`` (stored
"must be empty" checks). ``findings`` holds the finding model, ``reports`` the report
writers, ``pipeline`` the one entry point ``validate``, which runs the layers in order.
The names below are imported on first use, so importing ``caregraph.validation.findings``
does not load pySHACL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from caregraph.lazy import lazy_exports

_EXPORTS = {
    "ENGINES": "caregraph.validation.engines",
    "LAYERS": "caregraph.validation.findings",
    "SEVERITIES": "caregraph.validation.findings",
    "Finding": "caregraph.validation.findings",
    "ValidationReport": "caregraph.validation.findings",
    "check_shapes": "caregraph.validation.shapes",
    "bundled_foci": "caregraph.validation.pipeline",
    "validate": "caregraph.validation.pipeline",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:
    from caregraph.validation.engines import ENGINES
    from caregraph.validation.findings import LAYERS, SEVERITIES, Finding, ValidationReport
    from caregraph.validation.pipeline import bundled_foci, validate
    from caregraph.validation.shapes import check_shapes
