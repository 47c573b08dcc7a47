"""What a test session exchanged with the octave_mock fixture, kept for its Pact file.

After each test, its journal (requests and, with journal_responses, responses) and the objects
it added are read from the test's mock; an xdist worker hands what it kept to the controller,
which writes one Pact file for the session (octave_kit.pact_writer).
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from octave_kit.http_io import now_iso
from octave_kit.keys import key_hint
from octave_kit.pact_writer import (
    KeyRole,
    PlainExchange,
    Sent,
    pact_document,
    pact_text,
    sent_from_json,
    sent_to_json,
)
from octave_mock.testing import RunningMock

DEFAULT_PROVIDER = "Octave"
WORKER_OUTPUT = "octave_pact"


class PactRecorder:
    def __init__(self, path: Path, consumer: str, provider: str) -> None:
        self.path = path
        self.consumer = consumer
        self.provider = provider
        self.sent: list[Sent] = []
        self.left_out = 0  # requests to mocks of another seed than the session's
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
            response = entry.get("response") or {}
            hint = entry.get("key_hint")
            exchange = PlainExchange(
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


def project_name(root: Path) -> str:
    """The consumer's default name: the project's name in pyproject.toml, else its folder's."""
    try:
        project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return root.name
    name: Any = project.get("project", {}).get("name")
    return name if isinstance(name, str) and name else root.name
