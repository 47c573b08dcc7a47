"""Checks of a call's arguments, made before anything is sent."""

from collections.abc import Mapping
from typing import Any

_EXTRA_ARGUMENTS = {"params": "extra_query", "json": "extra_body"}


def require_non_blank(method: str, name: str, value: str) -> None:
    """Refuse an empty or blank value of a required string: it names no object.

    Sent, an empty `oId` would come back as the 404 of an unknown object; as openai-python
    does, the mistake is the caller's and is raised before any request.
    """
    if not (isinstance(value, str) and value.strip()):
        raise ValueError(
            f"{method}(): expected a non-empty value for `{name}` but received {value!r}"
        )


def add_extra(
    request: dict[str, Any],
    part: str,
    extra: Mapping[str, object] | None,
    keywords: Mapping[str, str],
    method: str,
) -> None:
    """Merge a call's `extra_query` or `extra_body` into the request's `part`.

    A key the spec names for the operation is an error: it has a keyword of its own, and a
    silent override would send something other than what the keyword says.
    """
    if not extra:
        return
    for key in extra:
        if key in keywords:
            raise TypeError(
                f"{method}(): {_EXTRA_ARGUMENTS[part]} key {key!r} is named by the spec;"
                f" pass {keywords[key]}= instead"
            )
    request[part] = {**request.get(part, {}), **extra}
