# Generated from openapi.yaml by `make generate`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Firmographics")


@_attrs_define
class Firmographics:
    """Firmographic filters of a segment. The older docs generation used a
    free-form map of title to values, so other keys are kept as read.

    """

    industry: list[str] | Unset = UNSET
    """ Industries in the segment. """
    business_model: list[str] | Unset = UNSET
    """ Business models in the segment. """
    geography: list[str] | Unset = UNSET
    """ Regions in the segment. """
    revenue: list[str] | Unset = UNSET
    """ Revenue bands in the segment. """
    employees: list[str] | Unset = UNSET
    """ Headcount bands in the segment. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        industry: list[str] | Unset = UNSET
        if not isinstance(self.industry, Unset):
            industry = self.industry

        business_model: list[str] | Unset = UNSET
        if not isinstance(self.business_model, Unset):
            business_model = self.business_model

        geography: list[str] | Unset = UNSET
        if not isinstance(self.geography, Unset):
            geography = self.geography

        revenue: list[str] | Unset = UNSET
        if not isinstance(self.revenue, Unset):
            revenue = self.revenue

        employees: list[str] | Unset = UNSET
        if not isinstance(self.employees, Unset):
            employees = self.employees

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if industry is not UNSET:
            field_dict["industry"] = industry
        if business_model is not UNSET:
            field_dict["businessModel"] = business_model
        if geography is not UNSET:
            field_dict["geography"] = geography
        if revenue is not UNSET:
            field_dict["revenue"] = revenue
        if employees is not UNSET:
            field_dict["employees"] = employees

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        industry = cast(list[str], d.pop("industry", UNSET))

        business_model = cast(list[str], d.pop("businessModel", UNSET))

        geography = cast(list[str], d.pop("geography", UNSET))

        revenue = cast(list[str], d.pop("revenue", UNSET))

        employees = cast(list[str], d.pop("employees", UNSET))

        firmographics = cls(
            industry=industry,
            business_model=business_model,
            geography=geography,
            revenue=revenue,
            employees=employees,
        )

        firmographics.additional_properties = d
        return firmographics

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
