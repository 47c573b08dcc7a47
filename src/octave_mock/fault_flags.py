"""The fault options, as `octave-mock serve` and the pytest plugin take them.

Each value may end with `@operationId` to limit the fault to that operation:
`--latency-ms 50:200`, `--rate-limit 5/s@getProduct`, `--hang-rate 0.1`.
A bad value is an argparse error, so the message names the flag.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from octave_mock.faults import UnknownOperation
from octave_mock.settings import SCOPABLE_FAULTS, Faults, RateLimit

WINDOWS = {"s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "hour": 3600.0}
# Faults field -> the flag that sets it: latency_ms -> --latency-ms.
FLAGS = {name: "--" + name.replace("_", "-") for name in SCOPABLE_FAULTS}
Scoped = tuple[Any, str | None]  # a fault's value and the operation it is limited to


def _scoped(parse: Callable[[str], Any]) -> Callable[[str], Scoped]:
    """A value parser that also takes an optional `@operationId` suffix."""

    def parse_scoped(text: str) -> Scoped:
        value, _, operation = text.partition("@")
        if "@" in text and not operation:
            raise argparse.ArgumentTypeError(f"{text!r}: name an operation after @")
        return parse(value), operation or None

    return parse_scoped


def _latency(text: str) -> float | tuple[float, float]:
    low, _, high = text.partition(":")
    try:
        values = (float(low), float(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not milliseconds: give MS or LOW:HIGH, e.g. 200 or 50:200"
        ) from None
    if not 0 <= values[0] <= values[1]:
        raise argparse.ArgumentTypeError(f"{text!r}: need 0 <= LOW <= HIGH")
    return values[0] if not high else values


def _rate_limit(text: str) -> RateLimit:
    count, _, window = text.partition("/")
    if not count.isdigit() or int(count) < 1 or (window and window not in WINDOWS):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a rate: give N/s, N/min or N/h, N at least 1 (plain N: per minute)"
        )
    return RateLimit(int(count), WINDOWS[window] if window else 60.0)


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a fraction between 0 and 1")
    return value


def add_fault_arguments(parser: argparse.ArgumentParser) -> None:
    faults = parser.add_argument_group(
        "fault injection (off by default; append @operationId to limit one to an operation)"
    )
    faults.add_argument(
        "--latency-ms",
        type=_scoped(_latency),
        metavar="MS|LOW:HIGH",
        help="delay every API request by MS, or by a uniform draw between LOW and HIGH",
    )
    faults.add_argument(
        "--rate-limit",
        type=_scoped(_rate_limit),
        metavar="N/WINDOW",
        help="allow N requests per key in any window (s, min or h; plain N: per minute), then 429",
    )
    rates = {
        "--error-rate": "answer 500",
        "--hang-rate": "hang: accept and never answer",
        "--reset-rate": "reset the connection without an answer",
        "--gateway-rate": "answer 502, 503 or 504 with an HTML page, like a load balancer",
    }
    for flag, effect in rates.items():
        faults.add_argument(
            flag, type=_scoped(_fraction), metavar="F", help=f"a fraction F of requests: {effect}"
        )
    faults.add_argument("--fault-seed", type=int, help="seed for the drawn faults: repeatable runs")


def faults_from(args: argparse.Namespace) -> Faults:
    """The Faults the parsed options describe."""
    values: dict[str, Any] = {}
    only: dict[str, str] = {}
    for name in FLAGS:
        given: Scoped | None = getattr(args, name)
        if given is None:
            continue
        values[name], operation = given
        if operation is not None:
            only[name] = operation
    return Faults(**values, only=only, seed=args.fault_seed)


def unknown_operation(exc: UnknownOperation) -> str:
    """A fault limited to an operation the spec does not have, said as its flag."""
    return (
        f"{FLAGS[exc.fault]}: @{exc.operation} is not an operation of the spec "
        f"({', '.join(exc.known)})"
    )
