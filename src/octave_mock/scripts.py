"""Scripted answers: `fail_next(operation, times=, status=, fault=, latency_ms=, key=,
retry_after=)`.

A script acts on the next `times` requests routed to its operation (from any
key, or only `key`), before authentication, as a stub of a test double does:
it answers `status` (an error status the operation documents, with the spec's
`Error` body; or 502, 503 or 504 as a gateway's HTML page), or disrupts the
request (`hang`, `reset`, `gateway`), or delays it by `latency_ms` and lets it
through. Scripts live in the store's `scripts` table, so worker processes share
them and a reset clears them; each request takes one in a write transaction.

Every scripted error answer carries `Retry-After: 0`: a client that honours
Retry-After (the kit's SDK does) retries at once, so a test of an app's retry
path takes milliseconds, not the real backoff. A test that wants a wait of its
own names it, `retry_after=SECONDS`, on a status that carries Retry-After: one
the operation documents with the header (429), or 503, whose Retry-After HTTP
defines (RFC 9110, 10.2.3) and load balancers send.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from octave_kit.http_io import HTTPError
from octave_kit.json_text import Json
from octave_kit.spec import Spec
from octave_mock.additions import DoubleError
from octave_mock.faults import DISRUPTIONS, GATEWAY_STATUSES, MAX_PREFERRED_LATENCY_MS
from octave_mock.store import Store, hash_key

SCRIPT_FAULT = "script"  # what the journal and the access log call a scripted status
UNAVAILABLE = 503  # the gateway status whose Retry-After HTTP itself defines
MAX_RETRY_AFTER_SECONDS = 86_400


@dataclass(frozen=True)
class Script:
    status: int | None = None
    fault: str | None = None
    latency_ms: float | None = None
    retry_after: int | None = None  # seconds; None: 0, retry at once

    @property
    def headers(self) -> dict[str, str]:
        """What a scripted error answer carries: when to retry."""
        return {"Retry-After": str(self.retry_after or 0)}

    @property
    def disruption(self) -> str | None:
        """hang, reset or gateway: a scripted 502, 503 or 504 is a gateway's page."""
        return "gateway" if self.status in GATEWAY_STATUSES else self.fault

    def http_error(self) -> HTTPError:
        """The scripted error answer of a status the operation documents."""
        assert self.status is not None
        message = f"{HTTPStatus(self.status).phrase} (scripted by fail_next)"
        return HTTPError(self.status, message, self.headers, fault=SCRIPT_FAULT)


def _whole_number(name: str, value: Any, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise DoubleError(f"{name}: must be a whole number of at least {low}")
    if high is not None and value > high:
        raise DoubleError(f"{name}: must be at most {high}")
    return value


def statuses(spec: Spec, operation: str) -> list[int]:
    """The statuses a script may answer for this operation: its documented errors, and gateways'."""
    documented = {status for status in spec.by_id[operation].responses if status >= 400}
    return sorted(documented | set(GATEWAY_STATUSES))


def waiting_statuses(spec: Spec, operation: str) -> list[int]:
    """The statuses a script may give a `retry_after`: those that carry Retry-After."""
    return sorted(spec.by_id[operation].retry_after_statuses | {UNAVAILABLE})


def add_script(
    spec: Spec,
    store: Store,
    operation: Any,
    times: Any = 1,
    status: Any = None,
    fault: Any = None,
    latency_ms: Any = None,
    key: Any = None,
    retry_after: Any = None,
) -> Json:
    """Check a script and queue it in the open transaction; what was queued (never the key)."""
    if operation not in spec.by_id:
        raise DoubleError(f"operation: {operation!r} is not one of {', '.join(sorted(spec.by_id))}")
    _whole_number("times", times, 1)
    if status is not None:
        allowed = statuses(spec, operation)
        if status not in allowed or isinstance(status, bool):
            raise DoubleError(
                f"status: {status!r} is not a status {operation} can answer "
                f"({', '.join(map(str, allowed))})"
            )
    if fault is not None and fault not in DISRUPTIONS:
        raise DoubleError(f"fault: {fault!r} is not one of {', '.join(DISRUPTIONS)}")
    if status is not None and fault is not None:
        raise DoubleError("status, fault: give one of them, not both")
    if latency_ms is not None:
        _whole_number("latency_ms", latency_ms, 0, MAX_PREFERRED_LATENCY_MS)
    if status is None and fault is None and not latency_ms:
        raise DoubleError("status, fault, latency_ms: give one, or the script does nothing")
    if retry_after is not None:
        waiting = waiting_statuses(spec, operation)
        if status not in waiting:
            given = "no status" if status is None else f"status {status}"
            raise DoubleError(
                "retry_after: only with a status that carries Retry-After "
                f"({', '.join(map(str, waiting))}), not with {given}"
            )
        _whole_number("retry_after", retry_after, 0, MAX_RETRY_AFTER_SECONDS)
    key_hash = None
    if key is not None:
        if not isinstance(key, str) or store.caller(key) is None:
            raise DoubleError("key: not a key of the mock's seed")
        key_hash = hash_key(key)
    script = {
        "status": status,
        "fault": fault,
        "latency_ms": latency_ms,
        "retry_after": retry_after,
    }
    store.add_script(operation, key_hash, times, script)
    return {"operation": operation, "times": times, **script}


def take_script(store: Store, operation: str, key: str | None) -> Script | None:
    """The script this request meets, if any; counted down in a write transaction of its own."""
    if not store.has_scripts():
        return None
    with store.transaction():
        found = store.take_script(operation, None if key is None else hash_key(key))
    return None if found is None else Script(**found)
