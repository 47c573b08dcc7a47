# Generated from openapi.yaml by `make generate`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.custom_field import CustomField
    from ..models.firmographics import Firmographics


T = TypeVar("T", bound="SegmentData")


@_attrs_define
class SegmentData:
    """The content of a segment."""

    relevance_to_our_business: list[str] | Unset = UNSET
    """ Why the segment matters to the workspace. """
    firmographics: Firmographics | Unset = UNSET
    """ Firmographic filters of a segment. The older docs generation used a
    free-form map of title to values, so other keys are kept as read.
     """
    firmographic_characteristics: list[str] | Unset = UNSET
    """ Traits shared by companies in the segment. """
    defining_attributes: list[str] | Unset = UNSET
    """ What sets the segment apart. """
    business_drivers: list[str] | Unset = UNSET
    """ What drives their decisions. """
    strategic_priorities: list[str] | Unset = UNSET
    """ What they are trying to achieve. """
    market_pressures: list[str] | Unset = UNSET
    """ Forces acting on them. """
    custom_fields: list[CustomField] | Unset = UNSET
    """ Custom fields of the segment. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        relevance_to_our_business: list[str] | Unset = UNSET
        if not isinstance(self.relevance_to_our_business, Unset):
            relevance_to_our_business = self.relevance_to_our_business

        firmographics: dict[str, Any] | Unset = UNSET
        if not isinstance(self.firmographics, Unset):
            firmographics = self.firmographics.to_dict()

        firmographic_characteristics: list[str] | Unset = UNSET
        if not isinstance(self.firmographic_characteristics, Unset):
            firmographic_characteristics = self.firmographic_characteristics

        defining_attributes: list[str] | Unset = UNSET
        if not isinstance(self.defining_attributes, Unset):
            defining_attributes = self.defining_attributes

        business_drivers: list[str] | Unset = UNSET
        if not isinstance(self.business_drivers, Unset):
            business_drivers = self.business_drivers

        strategic_priorities: list[str] | Unset = UNSET
        if not isinstance(self.strategic_priorities, Unset):
            strategic_priorities = self.strategic_priorities

        market_pressures: list[str] | Unset = UNSET
        if not isinstance(self.market_pressures, Unset):
            market_pressures = self.market_pressures

        custom_fields: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.custom_fields, Unset):
            custom_fields = []
            for custom_fields_item_data in self.custom_fields:
                custom_fields_item = custom_fields_item_data.to_dict()
                custom_fields.append(custom_fields_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if relevance_to_our_business is not UNSET:
            field_dict["relevanceToOurBusiness"] = relevance_to_our_business
        if firmographics is not UNSET:
            field_dict["firmographics"] = firmographics
        if firmographic_characteristics is not UNSET:
            field_dict["firmographicCharacteristics"] = firmographic_characteristics
        if defining_attributes is not UNSET:
            field_dict["definingAttributes"] = defining_attributes
        if business_drivers is not UNSET:
            field_dict["businessDrivers"] = business_drivers
        if strategic_priorities is not UNSET:
            field_dict["strategicPriorities"] = strategic_priorities
        if market_pressures is not UNSET:
            field_dict["marketPressures"] = market_pressures
        if custom_fields is not UNSET:
            field_dict["customFields"] = custom_fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.custom_field import CustomField  # noqa: PLC0415
        from ..models.firmographics import Firmographics  # noqa: PLC0415

        d = dict(src_dict)
        relevance_to_our_business = cast(list[str], d.pop("relevanceToOurBusiness", UNSET))

        _firmographics = d.pop("firmographics", UNSET)
        firmographics: Firmographics | Unset
        if isinstance(_firmographics, Unset):
            firmographics = UNSET
        else:
            firmographics = Firmographics.from_dict(_firmographics)

        firmographic_characteristics = cast(list[str], d.pop("firmographicCharacteristics", UNSET))

        defining_attributes = cast(list[str], d.pop("definingAttributes", UNSET))

        business_drivers = cast(list[str], d.pop("businessDrivers", UNSET))

        strategic_priorities = cast(list[str], d.pop("strategicPriorities", UNSET))

        market_pressures = cast(list[str], d.pop("marketPressures", UNSET))

        _custom_fields = d.pop("customFields", UNSET)
        custom_fields: list[CustomField] | Unset = UNSET
        if _custom_fields is not UNSET:
            custom_fields = []
            for custom_fields_item_data in _custom_fields:
                custom_fields_item = CustomField.from_dict(custom_fields_item_data)

                custom_fields.append(custom_fields_item)

        segment_data = cls(
            relevance_to_our_business=relevance_to_our_business,
            firmographics=firmographics,
            firmographic_characteristics=firmographic_characteristics,
            defining_attributes=defining_attributes,
            business_drivers=business_drivers,
            strategic_priorities=strategic_priorities,
            market_pressures=market_pressures,
            custom_fields=custom_fields,
        )

        segment_data.additional_properties = d
        return segment_data

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
