"""A client that goes away mid-body gets no answer and changes nothing."""

from __future__ import annotations

import asyncio
import logging

import pytest
from starlette.types import Message

from octave_mock import Settings, create_app
from tests.mock.support import bundled_key

KEY = bundled_key().encode()


def test_disconnect_mid_body_is_not_an_error(caplog: pytest.LogCaptureFixture) -> None:
    """Nothing is sent back, nothing is logged as failed, the reference is as seeded."""
    app = create_app(Settings())
    store = app.server.store
    before = store.get("reference", "wa_acme0001", "r_acme_dropbox")
    incoming: list[Message] = [
        {"type": "http.request", "body": b'{"oId": "r_acme_dropbox", "na', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return incoming.pop(0)

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/v2/reference/update",
        "query_string": b"",
        "headers": [(b"api_key", KEY), (b"content-type", b"application/json")],
    }
    with caplog.at_level(logging.INFO, logger="octave_mock"):
        asyncio.run(app(scope, receive, send))
    assert [] == sent
    assert [] == [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert before == store.get("reference", "wa_acme0001", "r_acme_dropbox")
