# Generated from openapi.yaml by `make generate`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.metadata import Metadata


T = TypeVar("T", bound="Error")


@_attrs_define
class Error:
    """The body of every error answer."""

    message: str
    """ What went wrong; for invalid input, it names the field at fault. """
    field_metadata: Metadata | Unset = UNSET
    """ Sent with every answer, successful or not. Octave does not publish
    which members are required, so none is.
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        field_metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.field_metadata, Unset):
            field_metadata = self.field_metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message": message,
            }
        )
        if field_metadata is not UNSET:
            field_dict["_metadata"] = field_metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.metadata import Metadata  # noqa: PLC0415

        d = dict(src_dict)
        message = d.pop("message")
        if not isinstance(message, (str,)):
            raise TypeError(f"message: expected str, got {type(message).__name__}")

        _field_metadata = d.pop("_metadata", UNSET)
        field_metadata: Metadata | Unset
        if isinstance(_field_metadata, Unset):
            field_metadata = UNSET
        else:
            field_metadata = Metadata.from_dict(_field_metadata)

        error = cls(
            message=message,
            field_metadata=field_metadata,
        )

        error.additional_properties = d
        return error

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
