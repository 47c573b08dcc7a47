"""The mock as a test double: objects of a test's own, scripted answers, the request journal.

One set of calls behind both faces: the `octave_mock` fixture (RunningMock)
and the /_mock/ admin API. Each call is one transaction (of the store, or of the
journal's own database), so a call that raises DoubleError has changed nothing.
"""

from __future__ import annotations

from typing import Any

from octave_kit.json_text import Json
from octave_kit.keys import key_hint
from octave_kit.seed import Seed
from octave_kit.spec import Spec
from octave_mock.additions import Additions, DoubleError
from octave_mock.journal import Journal
from octave_mock.scripts import add_script
from octave_mock.store import Store


class Double:
    def __init__(self, spec: Spec, store: Store, seed: Seed, journal: Journal) -> None:
        self.spec = spec
        self.store = store
        self.journal = journal
        self.seed = seed
        self.additions = Additions(spec, store)
        # The workspace of the fixture's key(): the first read-write key's.
        writers = [key.workspace_oid for key in seed.keys if not key.read_only]
        self.default_workspace = (writers or [key.workspace_oid for key in seed.keys])[0]

    def add(self, kind: str, fields: Any, workspace: str | None = None, within: str = "") -> Json:
        """Store an object of the test's own; the object as the API serves it.

        `within`: where the fields are in the caller's request, for the errors' field names.
        """
        if workspace is not None and not isinstance(workspace, str):
            raise DoubleError("workspace: expected the oId of a workspace")
        with self.store.transaction():
            return self.additions.add(kind, fields, workspace, self.default_workspace, within)

    def fail_next(self, operation: Any, **script: Any) -> Json:
        """Queue a script (see octave_mock.scripts); what was queued, with a key_hint."""
        with self.store.transaction():
            queued = add_script(self.spec, self.store, operation, **script)
        key = script.get("key")
        return {**queued, "key_hint": None if key is None else key_hint(key)}

    def requests(self, operation: str | None = None) -> list[Json]:
        """The journal, oldest first; of one operation if named."""
        if operation is not None and operation not in self.spec.by_id:
            known = ", ".join(sorted(self.spec.by_id))
            raise DoubleError(f"operation: {operation!r} is not one of {known}")
        return self.journal.entries(operation)

    def reset(self) -> None:
        """Back to the seed: what changed since the database was seeded is undone."""
        with self.store.transaction():
            if self.store.has_baseline():
                self.store.reset()
            else:  # a file seeded by an older kit, which kept no change log
                self.store.seed_anew(self.seed)
        self.journal.clear()

    def clear_requests(self) -> None:
        self.journal.clear()
