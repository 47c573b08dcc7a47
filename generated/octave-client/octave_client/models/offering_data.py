from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.custom_field import CustomField


T = TypeVar("T", bound="OfferingData")


@_attrs_define
class OfferingData:
    """The content of an offering of any other type (e.g. `SOLUTION`, whose
    keys Octave has not published). Every member is kept as read.

    """

    type_: str | Unset = UNSET
    """ The offering type, e.g. `SOLUTION`. """
    internal_name: str | Unset = UNSET
    """ The internal name of the offering. """
    summary: str | Unset = UNSET
    """ One-paragraph summary of the offering. """
    custom_fields: list[CustomField] | Unset = UNSET
    """ Custom fields of the offering. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        internal_name = self.internal_name

        summary = self.summary

        custom_fields: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.custom_fields, Unset):
            custom_fields = []
            for custom_fields_item_data in self.custom_fields:
                custom_fields_item = custom_fields_item_data.to_dict()
                custom_fields.append(custom_fields_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if internal_name is not UNSET:
            field_dict["internalName"] = internal_name
        if summary is not UNSET:
            field_dict["summary"] = summary
        if custom_fields is not UNSET:
            field_dict["customFields"] = custom_fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.custom_field import CustomField  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type", UNSET)
        if not isinstance(
            type_,
            (
                str,
                Unset,
            ),
        ):
            raise TypeError(f"type: expected str | Unset, got {type(type_).__name__}")

        internal_name = d.pop("internalName", UNSET)
        if not isinstance(
            internal_name,
            (
                str,
                Unset,
            ),
        ):
            raise TypeError(f"internalName: expected str | Unset, got {type(internal_name).__name__}")

        summary = d.pop("summary", UNSET)
        if not isinstance(
            summary,
            (
                str,
                Unset,
            ),
        ):
            raise TypeError(f"summary: expected str | Unset, got {type(summary).__name__}")

        _custom_fields = d.pop("customFields", UNSET)
        custom_fields: list[CustomField] | Unset = UNSET
        if _custom_fields is not UNSET:
            custom_fields = []
            for custom_fields_item_data in _custom_fields:
                custom_fields_item = CustomField.from_dict(custom_fields_item_data)

                custom_fields.append(custom_fields_item)

        offering_data = cls(
            type_=type_,
            internal_name=internal_name,
            summary=summary,
            custom_fields=custom_fields,
        )

        offering_data.additional_properties = d
        return offering_data

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
