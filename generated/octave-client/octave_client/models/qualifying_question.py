# Generated from openapi.yaml by `make generate`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="QualifyingQuestion")


@_attrs_define
class QualifyingQuestion:
    """A question that tells whether a prospect fits."""

    question: str | Unset = UNSET
    """ The question to ask. """
    rationale: str | Unset = UNSET
    """ Why the answer matters. """
    fit_type: str | Unset = UNSET
    """ Which fit a positive answer signals. Octave's docs show only
    `GOOD`; other values (e.g. `BAD`) are accepted, not rejected.
     """
    weight: str | Unset = UNSET
    """ How much the answer counts. Octave's docs show only `MEDIUM`;
    other values (e.g. `LOW`, `HIGH`) are accepted, not rejected.
     """
    archived_at: None | str | Unset = UNSET
    """ When the question was archived; `null` while it is in use. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        question = self.question

        rationale = self.rationale

        fit_type = self.fit_type

        weight = self.weight

        archived_at: None | str | Unset
        if isinstance(self.archived_at, Unset):
            archived_at = UNSET
        else:
            archived_at = self.archived_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if question is not UNSET:
            field_dict["question"] = question
        if rationale is not UNSET:
            field_dict["rationale"] = rationale
        if fit_type is not UNSET:
            field_dict["fitType"] = fit_type
        if weight is not UNSET:
            field_dict["weight"] = weight
        if archived_at is not UNSET:
            field_dict["archivedAt"] = archived_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        question = d.pop("question", UNSET)
        if not isinstance(
            question,
            (
                str,
                Unset,
            ),
        ):
            raise TypeError(f"question: expected str | Unset, got {type(question).__name__}")

        rationale = d.pop("rationale", UNSET)
        if not isinstance(
            rationale,
            (
                str,
                Unset,
            ),
        ):
            raise TypeError(f"rationale: expected str | Unset, got {type(rationale).__name__}")

        fit_type = d.pop("fitType", UNSET)
        if not isinstance(
            fit_type,
            (
                str,
                Unset,
            ),
        ):
            raise TypeError(f"fitType: expected str | Unset, got {type(fit_type).__name__}")

        weight = d.pop("weight", UNSET)
        if not isinstance(
            weight,
            (
                str,
                Unset,
            ),
        ):
            raise TypeError(f"weight: expected str | Unset, got {type(weight).__name__}")

        def _parse_archived_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        archived_at = _parse_archived_at(d.pop("archivedAt", UNSET))

        qualifying_question = cls(
            question=question,
            rationale=rationale,
            fit_type=fit_type,
            weight=weight,
            archived_at=archived_at,
        )

        qualifying_question.additional_properties = d
        return qualifying_question

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
