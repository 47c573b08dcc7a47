"""The mock as a test double: objects of a test's own, scripted answers, the request journal.

One set of calls behind both faces: the `octave_mock` fixture (RunningMock)
and the /_mock/ admin API. Each call that changes the store is one transaction of
it, so a call that raises DoubleError has changed nothing.
"""

from __future__ import annotations

from typing import Any

from octave_kit.http_io import now_iso
from octave_kit.json_text import Json
from octave_kit.keys import key_hint
from octave_kit.pact_writer import AddedObject
from octave_kit.seed import Seed
from octave_kit.spec import Spec
from octave_mock.additions import Additions, DoubleError
from octave_mock.faults import FaultInjector
from octave_mock.journal import Journal
from octave_mock.scripts import add_script
from octave_mock.store import Store

# The key a Pact replay sends for a state naming a key the provider does not know.
UNKNOWN_KEY = "not-a-key-of-this-mock"


class Double:
    def __init__(
        self, spec: Spec, store: Store, seed: Seed, journal: Journal, faults: FaultInjector
    ) -> None:
        self.spec = spec
        self.store = store
        self.journal = journal
        self.seed = seed
        self.faults = faults
        self.additions = Additions(spec, store)
        # What the tests added since the last reset, each with when: the Pact file's states.
        self.added: list[tuple[str, AddedObject]] = []
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
            doc = self.additions.add(kind, fields, workspace, self.default_workspace, within)
        owner = doc.get("workspace", {}).get("oId", workspace or self.default_workspace)
        given = {**fields, "oId": doc["oId"]}
        self.added.append((now_iso(), AddedObject(kind, owner, given, "oId" not in fields)))
        return doc

    def provider_state(self, params: Any) -> Json:
        """Set up a Pact provider state of a file the kit wrote; the values it gives.

        `key` (a key's role) gives the key to send as `apiKey`; `kind` and `object` (an object
        a test added) add it again and give its `oId`; `script` (a status a fault or a script
        chose) scripts the operation's next answer.
        """
        if not isinstance(params, dict):
            raise DoubleError("params: expected the state's params (key, or kind and object)")
        if "key" in params:
            return {"apiKey": self.key_of(params["key"])}
        if "script" in params:
            script = params["script"]
            if not isinstance(script, dict):
                raise DoubleError("params.script: expected {operation, status}")
            self.fail_next(script.get("operation"), status=script.get("status"))
            return {}
        if "object" in params:
            added = self.add(
                str(params.get("kind", "")),
                params["object"],
                params.get("workspace"),
                "params.object",
            )
            return {"oId": added["oId"]}
        raise DoubleError(
            "params: expected key, script, or kind and object (the states of the kit's Pact files)"
        )

    def key_of(self, role: Any) -> str:
        """A seeded key of the role a Pact state names: workspace (optional) and readOnly."""
        if not isinstance(role, dict):
            raise DoubleError("params.key: expected {workspace, readOnly}")
        if role.get("known") is False:
            return UNKNOWN_KEY
        workspace, read_only = role.get("workspace"), bool(role.get("readOnly", False))
        for key in self.seed.keys:
            if key.read_only == read_only and workspace in (None, key.workspace_oid):
                return key.key
        kind = "read-only" if read_only else "read-write"
        raise DoubleError(f"params.key: the seed has no {kind} key of workspace {workspace!r}")

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
        """Back to the state at start: what changed since the database was seeded is undone
        (objects, scripts, the journal), and the faults' windows and draws start again."""
        with self.store.transaction():
            self.faults.reset()
            if self.store.has_baseline():
                self.store.reset()
            else:  # a file seeded by an older kit, which kept no change log
                self.store.seed_anew(self.seed)
        self.journal.clear()
        self.added.clear()

    def clear_requests(self) -> None:
        self.journal.clear()
