"""A small app that calls Octave: the code a team tests with the kit's mock.

It builds `Octave()` from the environment (OCTAVE_API_KEY, OCTAVE_BASE_URL), as an app
deployed next to the real API would; test_catalog.py points it at the mock.
"""

from __future__ import annotations

from octave_client import NotFoundError, Octave


def product_line(product_id: str) -> str:
    """`name (TYPE)` of an offering, or `unknown product` when the workspace has none."""
    with Octave() as octave:
        try:
            product = octave.products.get(product_id)
        except NotFoundError:
            return "unknown product"
    return f"{product.name} ({product.data.type_})"


def publish_story(reference_id: str, headline: str, segment_id: str) -> str:
    """Name a reference after a segment's headline; the reference's new name."""
    with Octave() as octave:
        segment = octave.segments.get(segment_id)
        updated = octave.references.update(reference_id, name=f"{headline} for {segment.name}")
    return updated.data.name or ""
