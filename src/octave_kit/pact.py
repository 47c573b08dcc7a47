"""Pact files: the app's own contract with Octave, as Pact's tools read it.

A Pact file lists interactions: a request the app (the consumer) sends and the response it
expects of Octave (the provider). The kit writes version 4 files of `Synchronous/HTTP`
interactions (octave_kit.pact_writer) and reads version 2 to 4 files here, for `impact`.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

JSON_MEDIA_TYPE = "application/json"
HTTP_INTERACTION = "Synchronous/HTTP"


class PactError(ValueError):
    """The file is not a Pact file the kit can read; the message names the file and the place."""


@dataclass(frozen=True)
class Body:
    content: Any  # the parsed JSON, or the text of a body that is not JSON
    content_type: str


@dataclass(frozen=True)
class ProviderState:
    name: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Interaction:
    """One request of the app and the response it met."""

    description: str
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, list[str]]  # names lower-cased
    request_body: Body | None
    status: int
    response_body: Body | None
    provider_states: tuple[ProviderState, ...] = ()


@dataclass(frozen=True)
class Pact:
    consumer: str
    provider: str
    interactions: tuple[Interaction, ...]


def read_pact(path: Path) -> Pact:
    """The HTTP interactions of a Pact file (V2 to V4); PactError names what is wrong."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PactError(f"{path}: cannot be read: {error.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PactError(f"{path}: not JSON: {error}") from None
    return parse_pact(document, str(path))


def parse_pact(document: Any, where: str) -> Pact:
    if not isinstance(document, dict) or not isinstance(document.get("interactions"), list):
        raise PactError(f"{where}: not a Pact file (no list of interactions)")
    interactions = []
    for index, item in enumerate(document["interactions"]):
        place = f"{where}: interactions[{index}]"
        if not isinstance(item, dict):
            raise PactError(f"{place}: expected an object")
        if item.get("type", HTTP_INTERACTION) != HTTP_INTERACTION:
            continue  # messages and plugin interactions say nothing of HTTP
        interactions.append(_interaction(item, place))
    if not interactions:
        raise PactError(f"{where}: no HTTP interaction to judge")
    return Pact(_name(document, "consumer"), _name(document, "provider"), tuple(interactions))


def _name(document: dict[str, Any], role: str) -> str:
    party = document.get(role)
    name = party.get("name") if isinstance(party, dict) else None
    return name if isinstance(name, str) else ""


def _interaction(item: dict[str, Any], place: str) -> Interaction:
    request, response = item.get("request"), item.get("response")
    if not isinstance(request, dict) or not isinstance(response, dict):
        raise PactError(f"{place}: expected a request and a response")
    method, path, status = request.get("method"), request.get("path"), response.get("status")
    if not isinstance(method, str) or not isinstance(path, str):
        raise PactError(f"{place}.request: expected a method and a path")
    if not isinstance(status, int):
        raise PactError(f"{place}.response.status: expected an HTTP status")
    headers = _headers(request.get("headers"), f"{place}.request.headers")
    return Interaction(
        description=str(item.get("description", "")),
        method=method.upper(),
        path=path,
        query=_query(request.get("query"), f"{place}.request.query"),
        headers=headers,
        request_body=_body(request, headers, f"{place}.request.body"),
        status=status,
        response_body=_body(response, _headers(response.get("headers"), place), place),
        provider_states=_states(item),
    )


def _query(query: Any, place: str) -> dict[str, list[str]]:
    if query is None:
        return {}
    if isinstance(query, str):  # Pact V2: the query string itself
        return parse_qs(query, keep_blank_values=True)
    if isinstance(query, dict):
        return {str(name): _values(value) for name, value in query.items()}
    raise PactError(f"{place}: expected a map of names to values")


def _headers(headers: Any, place: str) -> dict[str, list[str]]:
    if headers is None:
        return {}
    if not isinstance(headers, dict):
        raise PactError(f"{place}: expected a map of names to values")
    return {str(name).lower(): _values(value) for name, value in headers.items()}


def _values(value: Any) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


def _body(message: dict[str, Any], headers: dict[str, list[str]], place: str) -> Body | None:
    """The message's body: V4 wraps it (content, contentType, encoded); V2 and V3 do not."""
    if "body" not in message:
        return None
    body = message["body"]
    declared = headers.get("content-type", [JSON_MEDIA_TYPE])[0]
    if isinstance(body, dict) and "content" in body and "encoded" in body:
        if body.get("encoded") not in (False, None):
            raise PactError(f"{place}: an encoded body cannot be judged")
        declared = str(body.get("contentType", declared))
        body = body["content"]
    media_type = declared.split(";")[0].strip().lower()
    if isinstance(body, str) and media_type == JSON_MEDIA_TYPE:
        with contextlib.suppress(json.JSONDecodeError):  # else judged as the text it is
            body = json.loads(body)
    return Body(body, media_type)


def _states(item: dict[str, Any]) -> tuple[ProviderState, ...]:
    states = item.get("providerStates")
    if isinstance(states, list):
        return tuple(
            ProviderState(str(state.get("name", "")), dict(state.get("params") or {}))
            for state in states
            if isinstance(state, dict)
        )
    named = item.get("providerState")  # Pact V2
    return (ProviderState(named),) if isinstance(named, str) else ()
