# Generated from openapi.yaml by `make generate`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.custom_field import CustomField


T = TypeVar("T", bound="ServiceData")


@_attrs_define
class ServiceData:
    """The content of an offering of type `SERVICE`."""

    type_: Literal["SERVICE"]
    """ The offering type. """
    internal_name: str | Unset = UNSET
    """ The internal name of the service. """
    summary: str | Unset = UNSET
    """ One-paragraph summary of the service. """
    deliverables: list[str] | Unset = UNSET
    """ What the customer receives. """
    competencies: list[str] | Unset = UNSET
    """ Skills the service draws on. """
    comparative_advantage: list[str] | Unset = UNSET
    """ Why this service beats the alternatives. """
    likely_alternative: list[str] | Unset = UNSET
    """ What the customer would do instead. """
    challenges_addressed: list[str] | Unset = UNSET
    """ The problems it solves. """
    customer_benefits: list[str] | Unset = UNSET
    """ What customers gain. """
    custom_fields: list[CustomField] | Unset = UNSET
    """ Custom fields of the service. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        internal_name = self.internal_name

        summary = self.summary

        deliverables: list[str] | Unset = UNSET
        if not isinstance(self.deliverables, Unset):
            deliverables = self.deliverables

        competencies: list[str] | Unset = UNSET
        if not isinstance(self.competencies, Unset):
            competencies = self.competencies

        comparative_advantage: list[str] | Unset = UNSET
        if not isinstance(self.comparative_advantage, Unset):
            comparative_advantage = self.comparative_advantage

        likely_alternative: list[str] | Unset = UNSET
        if not isinstance(self.likely_alternative, Unset):
            likely_alternative = self.likely_alternative

        challenges_addressed: list[str] | Unset = UNSET
        if not isinstance(self.challenges_addressed, Unset):
            challenges_addressed = self.challenges_addressed

        customer_benefits: list[str] | Unset = UNSET
        if not isinstance(self.customer_benefits, Unset):
            customer_benefits = self.customer_benefits

        custom_fields: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.custom_fields, Unset):
            custom_fields = []
            for custom_fields_item_data in self.custom_fields:
                custom_fields_item = custom_fields_item_data.to_dict()
                custom_fields.append(custom_fields_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if internal_name is not UNSET:
            field_dict["internalName"] = internal_name
        if summary is not UNSET:
            field_dict["summary"] = summary
        if deliverables is not UNSET:
            field_dict["deliverables"] = deliverables
        if competencies is not UNSET:
            field_dict["competencies"] = competencies
        if comparative_advantage is not UNSET:
            field_dict["comparativeAdvantage"] = comparative_advantage
        if likely_alternative is not UNSET:
            field_dict["likelyAlternative"] = likely_alternative
        if challenges_addressed is not UNSET:
            field_dict["challengesAddressed"] = challenges_addressed
        if customer_benefits is not UNSET:
            field_dict["customerBenefits"] = customer_benefits
        if custom_fields is not UNSET:
            field_dict["customFields"] = custom_fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.custom_field import CustomField  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["SERVICE"], d.pop("type"))
        if type_ != "SERVICE":
            raise ValueError(f"type must match const 'SERVICE', got '{type_}'")

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

        deliverables = cast(list[str], d.pop("deliverables", UNSET))

        competencies = cast(list[str], d.pop("competencies", UNSET))

        comparative_advantage = cast(list[str], d.pop("comparativeAdvantage", UNSET))

        likely_alternative = cast(list[str], d.pop("likelyAlternative", UNSET))

        challenges_addressed = cast(list[str], d.pop("challengesAddressed", UNSET))

        customer_benefits = cast(list[str], d.pop("customerBenefits", UNSET))

        _custom_fields = d.pop("customFields", UNSET)
        custom_fields: list[CustomField] | Unset = UNSET
        if _custom_fields is not UNSET:
            custom_fields = []
            for custom_fields_item_data in _custom_fields:
                custom_fields_item = CustomField.from_dict(custom_fields_item_data)

                custom_fields.append(custom_fields_item)

        service_data = cls(
            type_=type_,
            internal_name=internal_name,
            summary=summary,
            deliverables=deliverables,
            competencies=competencies,
            comparative_advantage=comparative_advantage,
            likely_alternative=likely_alternative,
            challenges_addressed=challenges_addressed,
            customer_benefits=customer_benefits,
            custom_fields=custom_fields,
        )

        service_data.additional_properties = d
        return service_data

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
