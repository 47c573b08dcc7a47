# Generated from openapi.yaml by `make generate`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Metadata")


@_attrs_define
class Metadata:
    """Sent with every answer, successful or not. Octave does not publish
    which members are required, so none is.

    """

    request_id: str | Unset = UNSET
    """ Identifier of this request, for tracking and support. """
    timestamp: str | Unset = UNSET
    """ Server time of the answer, ISO 8601 in UTC with milliseconds
    (`2021-01-01T00:00:00.000Z`). No `format` is declared, so a client
    built from this document reads any other form instead of failing.
     """
    usage: float | Unset = UNSET
    """ Credits this call consumed. """
    message: str | Unset = UNSET
    """ Human-readable status of the call. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        request_id = self.request_id

        timestamp = self.timestamp

        usage = self.usage

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if request_id is not UNSET:
            field_dict["requestId"] = request_id
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp
        if usage is not UNSET:
            field_dict["usage"] = usage
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        request_id = d.pop("requestId", UNSET)
        if not isinstance(
            request_id,
            (
                str,
                Unset,
            ),
        ):
            raise TypeError(f"requestId: expected str | Unset, got {type(request_id).__name__}")

        timestamp = d.pop("timestamp", UNSET)
        if not isinstance(
            timestamp,
            (
                str,
                Unset,
            ),
        ):
            raise TypeError(f"timestamp: expected str | Unset, got {type(timestamp).__name__}")

        usage = d.pop("usage", UNSET)
        if not isinstance(
            usage,
            (
                (int, float),
                Unset,
            ),
        ):
            raise TypeError(f"usage: expected float | Unset, got {type(usage).__name__}")

        message = d.pop("message", UNSET)
        if not isinstance(
            message,
            (
                str,
                Unset,
            ),
        ):
            raise TypeError(f"message: expected str | Unset, got {type(message).__name__}")

        metadata = cls(
            request_id=request_id,
            timestamp=timestamp,
            usage=usage,
            message=message,
        )

        metadata.additional_properties = d
        return metadata

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
