"""A request the spec refuses, as the mock answers it: one HTTPError naming every violation.

Shared by the Octave API's pipeline (app.py) and the admin API (admin.py), each
over its own document.
"""

from __future__ import annotations

from octave_kit import validation
from octave_kit.http_io import HTTPError
from octave_kit.spec import Operation, Spec
from octave_kit.validation import Violation

# A refused request's status, by the kind of violation that refused it; 400 for the rest.
REFUSAL_STATUS = {"path": 404, "method": 405, "too-large": 413, "content-type": 415}


def refusal(found: list[Violation], headers: dict[str, str] | None = None) -> HTTPError:
    """The mock's answer to a request the spec refuses: every violation in one message."""
    return HTTPError(REFUSAL_STATUS.get(found[0].code, 400), validation.messages(found), headers)


def routed(spec: Spec, method: str, path: str) -> Operation:
    """The operation at `path` for `method`: else a 404, or a 405 with `Allow`."""
    op = spec.route(method, path)
    if op is None:
        miss = validation.misrouted(spec, method, path)
        allow = {"Allow": ", ".join(spec.methods(path))}
        raise refusal([miss], allow if miss.place == "method" else None)
    return op
