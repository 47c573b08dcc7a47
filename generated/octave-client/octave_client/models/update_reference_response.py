# Generated from openapi.yaml by `make generate`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.metadata import Metadata
    from ..models.reference import Reference


T = TypeVar("T", bound="UpdateReferenceResponse")


@_attrs_define
class UpdateReferenceResponse:
    """The answer to Update Reference; the updated reference under `data`."""

    field_metadata: Metadata
    """ Sent with every answer, successful or not. Octave does not publish
    which members are required, so none is.
     """
    data: Reference
    """ A reference (customer story) of the workspace. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    request_id_: str = _attrs_field(init=False, default="", eq=False, repr=False)
    """ The request id of the answer this came from (`X-Request-Id`, else `_metadata.requestId`), set
    by `Octave` and `AsyncOctave`; empty otherwise. The trailing `_` keeps it apart from the spec's
    fields: the generator ends a field's name with `_` only for a Python keyword or builtin. """

    def to_dict(self) -> dict[str, Any]:
        field_metadata = self.field_metadata.to_dict()

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "_metadata": field_metadata,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.metadata import Metadata  # noqa: PLC0415
        from ..models.reference import Reference  # noqa: PLC0415

        d = dict(src_dict)
        field_metadata = Metadata.from_dict(d.pop("_metadata"))

        data = Reference.from_dict(d.pop("data"))

        update_reference_response = cls(
            field_metadata=field_metadata,
            data=data,
        )

        update_reference_response.additional_properties = d
        return update_reference_response

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
