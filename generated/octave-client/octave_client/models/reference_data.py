# Generated from openapi.yaml by `make generate`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.custom_field import CustomField


T = TypeVar("T", bound="ReferenceData")


@_attrs_define
class ReferenceData:
    """The content of a reference (customer story)."""

    business_model: str | Unset = UNSET
    """ How the customer operates commercially. """
    their_challenge: str | Unset = UNSET
    """ What was broken before they came to us. """
    how_they_use_us: str | Unset = UNSET
    """ What they use us for in practice. """
    why_they_chose_us: str | Unset = UNSET
    """ Why they chose us over the alternatives. """
    impact_they_saw: list[str] | Unset = UNSET
    """ The change attributable to working with us. """
    stakeholders_involved: list[str] | Unset = UNSET
    """ Roles at the customer who drove the work. """
    custom_fields: list[CustomField] | Unset = UNSET
    """ Custom fields of the reference. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        business_model = self.business_model

        their_challenge = self.their_challenge

        how_they_use_us = self.how_they_use_us

        why_they_chose_us = self.why_they_chose_us

        impact_they_saw: list[str] | Unset = UNSET
        if not isinstance(self.impact_they_saw, Unset):
            impact_they_saw = self.impact_they_saw

        stakeholders_involved: list[str] | Unset = UNSET
        if not isinstance(self.stakeholders_involved, Unset):
            stakeholders_involved = self.stakeholders_involved

        custom_fields: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.custom_fields, Unset):
            custom_fields = []
            for custom_fields_item_data in self.custom_fields:
                custom_fields_item = custom_fields_item_data.to_dict()
                custom_fields.append(custom_fields_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if business_model is not UNSET:
            field_dict["businessModel"] = business_model
        if their_challenge is not UNSET:
            field_dict["theirChallenge"] = their_challenge
        if how_they_use_us is not UNSET:
            field_dict["howTheyUseUs"] = how_they_use_us
        if why_they_chose_us is not UNSET:
            field_dict["whyTheyChoseUs"] = why_they_chose_us
        if impact_they_saw is not UNSET:
            field_dict["impactTheySaw"] = impact_they_saw
        if stakeholders_involved is not UNSET:
            field_dict["stakeholdersInvolved"] = stakeholders_involved
        if custom_fields is not UNSET:
            field_dict["customFields"] = custom_fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.custom_field import CustomField  # noqa: PLC0415

        d = dict(src_dict)
        business_model = d.pop("businessModel", UNSET)
        if not isinstance(
            business_model,
            (
                str,
                Unset,
            ),
        ):
            raise TypeError(f"businessModel: expected str | Unset, got {type(business_model).__name__}")

        their_challenge = d.pop("theirChallenge", UNSET)
        if not isinstance(
            their_challenge,
            (
                str,
                Unset,
            ),
        ):
            raise TypeError(f"theirChallenge: expected str | Unset, got {type(their_challenge).__name__}")

        how_they_use_us = d.pop("howTheyUseUs", UNSET)
        if not isinstance(
            how_they_use_us,
            (
                str,
                Unset,
            ),
        ):
            raise TypeError(f"howTheyUseUs: expected str | Unset, got {type(how_they_use_us).__name__}")

        why_they_chose_us = d.pop("whyTheyChoseUs", UNSET)
        if not isinstance(
            why_they_chose_us,
            (
                str,
                Unset,
            ),
        ):
            raise TypeError(f"whyTheyChoseUs: expected str | Unset, got {type(why_they_chose_us).__name__}")

        impact_they_saw = cast(list[str], d.pop("impactTheySaw", UNSET))

        stakeholders_involved = cast(list[str], d.pop("stakeholdersInvolved", UNSET))

        _custom_fields = d.pop("customFields", UNSET)
        custom_fields: list[CustomField] | Unset = UNSET
        if _custom_fields is not UNSET:
            custom_fields = []
            for custom_fields_item_data in _custom_fields:
                custom_fields_item = CustomField.from_dict(custom_fields_item_data)

                custom_fields.append(custom_fields_item)

        reference_data = cls(
            business_model=business_model,
            their_challenge=their_challenge,
            how_they_use_us=how_they_use_us,
            why_they_chose_us=why_they_chose_us,
            impact_they_saw=impact_they_saw,
            stakeholders_involved=stakeholders_involved,
            custom_fields=custom_fields,
        )

        reference_data.additional_properties = d
        return reference_data

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
