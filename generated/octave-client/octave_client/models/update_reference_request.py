# Generated from openapi.yaml by `make generate`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.custom_field import CustomField


T = TypeVar("T", bound="UpdateReferenceRequest")


@_attrs_define
class UpdateReferenceRequest:
    """A partial update of one reference. Only `oId` is required; every other
    field present replaces the stored value. Field names are those of the
    newest docs generation; the older names (`howTheyMakeMoney`,
    `keyStats`, ...) and unknown fields are rejected with 400 so that a
    misspelt field cannot be dropped silently.

    """

    o_id: str
    """ The ID of the reference to update. Octave's docs print a minimum
    length of 1; an empty `oId` names no reference and gets the 404 of
    any unknown one, so no minimum is declared.
     """
    name: str | Unset = UNSET
    """ The name of the reference. """
    internal_name: str | Unset = UNSET
    """ The internal name of the reference. """
    description: str | Unset = UNSET
    """ A description of the reference. """
    business_model: str | Unset = UNSET
    """ How the customer operates commercially: revenue model, pricing
    structure, sales motion and commercial dynamics.
     """
    their_challenge: str | Unset = UNSET
    """ What was broken before they came to us: the pain, what they had
    tried, and what made them look for a better way.
     """
    how_they_use_us: str | Unset = UNSET
    """ What they use us for in practice: the offerings adopted and the
    role we play in their day-to-day operations.
     """
    why_they_chose_us: str | Unset = UNSET
    """ The decision rationale: the alternatives considered and what
    tipped them toward us.
     """
    impact_they_saw: list[str] | Unset = UNSET
    """ The change attributable to working with us, in narrative and
    numbers. Replaces the stored list whole.
     """
    stakeholders_involved: list[str] | Unset = UNSET
    """ Roles and personas at the customer who drove the work, and why
    they cared. Replaces the stored list whole.
     """
    custom_fields: list[CustomField] | Unset = UNSET
    """ Custom fields of the reference. Replaces the stored list whole. """

    def to_dict(self) -> dict[str, Any]:
        o_id = self.o_id

        name = self.name

        internal_name = self.internal_name

        description = self.description

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

        field_dict.update(
            {
                "oId": o_id,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if internal_name is not UNSET:
            field_dict["internalName"] = internal_name
        if description is not UNSET:
            field_dict["description"] = description
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
        o_id = d.pop("oId")
        if not isinstance(o_id, (str,)):
            raise TypeError(f"oId: expected str, got {type(o_id).__name__}")

        name = d.pop("name", UNSET)
        if not isinstance(
            name,
            (
                str,
                Unset,
            ),
        ):
            raise TypeError(f"name: expected str | Unset, got {type(name).__name__}")

        internal_name = d.pop("internalName", UNSET)
        if not isinstance(
            internal_name,
            (
                str,
                Unset,
            ),
        ):
            raise TypeError(f"internalName: expected str | Unset, got {type(internal_name).__name__}")

        description = d.pop("description", UNSET)
        if not isinstance(
            description,
            (
                str,
                Unset,
            ),
        ):
            raise TypeError(f"description: expected str | Unset, got {type(description).__name__}")

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

        update_reference_request = cls(
            o_id=o_id,
            name=name,
            internal_name=internal_name,
            description=description,
            business_model=business_model,
            their_challenge=their_challenge,
            how_they_use_us=how_they_use_us,
            why_they_chose_us=why_they_chose_us,
            impact_they_saw=impact_they_saw,
            stakeholders_involved=stakeholders_involved,
            custom_fields=custom_fields,
        )

        return update_reference_request
