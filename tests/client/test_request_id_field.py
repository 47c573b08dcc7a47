"""`request_id_` is on the models the SDK returns, and no field of the spec can take its name."""

from __future__ import annotations

import builtins
import inspect
import keyword

import attrs
import octave_client.models

from tests.openapi_document import load_openapi

REQUEST_ID = "request_id_"


def models() -> list[type]:
    return [cls for _, cls in inspect.getmembers(octave_client.models, inspect.isclass)]


def success_models() -> set[str]:
    """The schema names of each operation's 200 answer in openapi.yaml."""
    found = set()
    for path in load_openapi()["paths"].values():
        for operation in path.values():
            content = operation["responses"]["200"]["content"]["application/json"]
            found.add(content["schema"]["$ref"].rsplit("/", 1)[1])
    return found


def test_the_models_the_sdk_returns_and_only_they_have_a_request_id() -> None:
    carrying = {cls.__name__ for cls in models() if REQUEST_ID in attrs.fields_dict(cls)}
    assert success_models() == carrying


def test_a_field_name_ends_in_an_underscore_only_for_a_keyword_or_builtin() -> None:
    """The generator's rule that keeps request_id_ apart from every field of the spec."""
    for cls in models():
        spec_fields = [name for name in attrs.fields_dict(cls) if name != REQUEST_ID]
        for name in spec_fields:
            if name.endswith("_"):
                reserved = name[:-1]
                assert keyword.iskeyword(reserved) or hasattr(builtins, reserved), (cls, name)
