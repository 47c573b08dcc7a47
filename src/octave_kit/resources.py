"""The one table of what the mock keeps: each kind of object, where it comes from, how it is read.

The app routes reads by it, the seed loader reads its sections by it, and the
tests list the kinds from it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Resource:
    kind: str  # the store's name for it
    seed_section: str  # the list of a workspace in the seed file
    schema: str  # components/schemas/<schema>: what an object is once served
    read_operation: str | None  # the operationId that reads one by oId, if any
    served_flat: bool  # answered beside `_metadata` (reads), not under `data`


RESOURCES = (
    Resource("product", "products", "Product", "getProduct", served_flat=True),
    Resource("segment", "segments", "Segment", "getSegment", served_flat=True),
    Resource("reference", "references", "Reference", None, served_flat=False),
)
BY_READ_OPERATION = {r.read_operation: r for r in RESOURCES if r.read_operation is not None}
