"""What a test session exchanged with the octave_mock fixture, kept for its Pact file.

After each test, its journal (requests and, with journal_responses, responses) and the objects
it added are read from the test's mock; an xdist worker hands what it kept to the controller,
which writes one Pact file for the session (octave_kit.pact_writer).
"""

from __future__ import annotations

import json
from pathlib import Path

from octave_kit.http_io import now_iso
from octave_kit.keys import key_hint
from octave_kit.pact_writer import (
    KeyRole,
    Sent,
    pact_document,
    pact_text,
    sent_from_json,
    sent_to_json,
)
from octave_kit.traffic import Exchange
from octave_mock.testing import RunningMock

WORKER_OUTPUT = "octave_pact"


class PactRecorder:
    def __init__(self, path: Path, consumer: str, provider: str) -> None:
        self.path = path
        self.consumer = consumer
        self.provider = provider
        self.sent: list[Sent] = []
        # Requests to mocks of another seed than the session's, and bodies that are not JSON
        # (which the file could not replay as they were sent).
        self.left_out = 0
        self.began = now_iso()  # timestamps from here on were minted by the mock

    def collect(self, test: str, mock: RunningMock, seed_path: Path | None) -> None:
        """Keep what the test exchanged with its mock (read before the next reset).

        Only a mock of the session's seed (`seed_path`): the file replays against one mock,
        and a test's own seed has workspaces, keys and objects that one does not.
        """
        if mock.server.settings.seed_path != seed_path:
            self.left_out += len(mock.server.double.requests())
            return
        roles = {
            key_hint(key.key): KeyRole(key.workspace_oid, key.read_only)
            for key in mock.server.seed.keys
        }
        added = list(mock.server.double.added)
        for sequence, entry in enumerate(mock.server.double.requests()):
            if entry["body"] and entry["json"] is None:
                self.left_out += 1
                continue
            response = entry.get("response") or {}
            hint = entry.get("key_hint")
            exchange = Exchange(
                method=entry["method"],
                path=entry["path"],
                operation=entry["operation"],
                query=entry["query"],
                request_json=entry["json"],
                status=entry["status"],
                response_json=response.get("json"),
            )
            self.sent.append(
                Sent(
                    test=test,
                    sequence=sequence,
                    exchange=exchange,
                    key=None if hint is None else roles.get(hint, KeyRole(known=False)),
                    request_id=entry["request_id"],
                    added=tuple(obj for when, obj in added if when <= entry["time"]),
                    minted_since=self.began,
                    fault=entry["fault"],
                )
            )

    def worker_output(self) -> str:
        sent = [sent_to_json(item) for item in self.sent]
        return json.dumps({"sent": sent, "left_out": self.left_out})

    def merge(self, output: str) -> None:
        kept = json.loads(output)
        self.sent += [sent_from_json(item) for item in kept["sent"]]
        self.left_out += kept["left_out"]

    def write(self) -> int:
        """Write the Pact file; the number of interactions in it."""
        document = pact_document(self.consumer, self.provider, self.sent)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(pact_text(document), encoding="utf-8")
        return len(document["interactions"])
