"""client_lib/arguments.py as it lies in the repository: a call's arguments, checked first."""

from __future__ import annotations

from typing import Any

import pytest

from client_lib.arguments import add_extra, require_non_blank


@pytest.mark.parametrize("value", ["", " ", "\t\n"])
def test_an_empty_or_blank_value_is_refused_naming_the_parameter(value: str) -> None:
    expected = f"products.get(): expected a non-empty value for `o_id` but received {value!r}"
    with pytest.raises(ValueError, match=r"^products\.get\(\)") as raised:
        require_non_blank("products.get", "o_id", value)
    assert expected == str(raised.value)


def test_a_value_with_text_passes() -> None:
    require_non_blank("products.get", "o_id", " p_1 ")


def test_extra_keys_merge_into_the_request() -> None:
    request: dict[str, Any] = {"params": {"oId": "p_1"}}
    add_extra(request, "params", {"trace": "t-42"}, {"oId": "o_id"}, "products.get")
    assert {"params": {"oId": "p_1", "trace": "t-42"}} == request


def test_no_extra_leaves_the_request_alone() -> None:
    request: dict[str, Any] = {"url": "/x"}
    add_extra(request, "json", None, {}, "references.update")
    add_extra(request, "json", {}, {}, "references.update")
    assert {"url": "/x"} == request


def test_a_key_the_spec_names_is_refused_naming_its_keyword() -> None:
    request: dict[str, Any] = {"json": {"oId": "r_1"}}
    message = "references.update(): extra_body key 'name' is named by the spec; pass name= instead"
    with pytest.raises(TypeError, match=r"^references\.update\(\)") as raised:
        add_extra(request, "json", {"name": "x"}, {"name": "name"}, "references.update")
    assert (message, {"json": {"oId": "r_1"}}) == (str(raised.value), request)
