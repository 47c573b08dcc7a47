# Generated from openapi.yaml by `make generate`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.metadata import Metadata
    from ..models.qualifying_question import QualifyingQuestion
    from ..models.segment_data import SegmentData
    from ..models.user import User
    from ..models.workspace import Workspace


T = TypeVar("T", bound="Segment")


@_attrs_define
class Segment:
    """A segment, as Get Segment returns it; `_metadata` beside the segment's fields."""

    field_metadata: Metadata
    """ Sent with every answer, successful or not. Octave does not publish
    which members are required, so none is.
     """
    o_id: str
    """ Segment OId. """
    created_at: None | str
    """ Creation date. Required, yet documented as possibly `null`. """
    name: str
    """ Segment name. """
    internal_name: str
    """ Segment internal name. """
    description: str
    """ Segment description. """
    unrecognized: bool
    """ Whether Octave could not recognise the segment from its inputs. """
    rejected: bool
    """ Whether the segment was rejected in review. """
    updated_at: None | str | Unset = UNSET
    """ Updated date. """
    deleted_at: None | str | Unset = UNSET
    """ Deletion date; `null` unless deleted. """
    archived_at: None | str | Unset = UNSET
    """ Archive date; `null` unless archived. """
    active: bool | Unset = True
    """ Whether the segment is active and can be used. """
    data: SegmentData | Unset = UNSET
    """ The content of a segment. """
    qualifying_questions: list[QualifyingQuestion] | None | Unset = UNSET
    """ Qualifying questions. """
    user: User | Unset = UNSET
    """ The user who created the object. """
    workspace: Workspace | Unset = UNSET
    """ The workspace that owns the object. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    request_id_: str = _attrs_field(init=False, default="", eq=False, repr=False)
    """ The request id of the answer this came from (`X-Request-Id`, else `_metadata.requestId`), set
    by `Octave` and `AsyncOctave`; empty otherwise. The trailing `_` keeps it apart from the spec's
    fields: the generator ends a field's name with `_` only for a Python keyword or builtin. """

    def to_dict(self) -> dict[str, Any]:
        field_metadata = self.field_metadata.to_dict()

        o_id = self.o_id

        created_at: None | str
        created_at = self.created_at

        name = self.name

        internal_name = self.internal_name

        description = self.description

        unrecognized = self.unrecognized

        rejected = self.rejected

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        else:
            updated_at = self.updated_at

        deleted_at: None | str | Unset
        if isinstance(self.deleted_at, Unset):
            deleted_at = UNSET
        else:
            deleted_at = self.deleted_at

        archived_at: None | str | Unset
        if isinstance(self.archived_at, Unset):
            archived_at = UNSET
        else:
            archived_at = self.archived_at

        active = self.active

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        qualifying_questions: list[dict[str, Any]] | None | Unset
        if isinstance(self.qualifying_questions, Unset):
            qualifying_questions = UNSET
        elif isinstance(self.qualifying_questions, list):
            qualifying_questions = []
            for qualifying_questions_type_0_item_data in self.qualifying_questions:
                qualifying_questions_type_0_item = qualifying_questions_type_0_item_data.to_dict()
                qualifying_questions.append(qualifying_questions_type_0_item)

        else:
            qualifying_questions = self.qualifying_questions

        user: dict[str, Any] | Unset = UNSET
        if not isinstance(self.user, Unset):
            user = self.user.to_dict()

        workspace: dict[str, Any] | Unset = UNSET
        if not isinstance(self.workspace, Unset):
            workspace = self.workspace.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "_metadata": field_metadata,
                "oId": o_id,
                "createdAt": created_at,
                "name": name,
                "internalName": internal_name,
                "description": description,
                "unrecognized": unrecognized,
                "rejected": rejected,
            }
        )
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at
        if deleted_at is not UNSET:
            field_dict["deletedAt"] = deleted_at
        if archived_at is not UNSET:
            field_dict["archivedAt"] = archived_at
        if active is not UNSET:
            field_dict["active"] = active
        if data is not UNSET:
            field_dict["data"] = data
        if qualifying_questions is not UNSET:
            field_dict["qualifyingQuestions"] = qualifying_questions
        if user is not UNSET:
            field_dict["user"] = user
        if workspace is not UNSET:
            field_dict["workspace"] = workspace

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.metadata import Metadata  # noqa: PLC0415
        from ..models.qualifying_question import QualifyingQuestion  # noqa: PLC0415
        from ..models.segment_data import SegmentData  # noqa: PLC0415
        from ..models.user import User  # noqa: PLC0415
        from ..models.workspace import Workspace  # noqa: PLC0415

        d = dict(src_dict)
        field_metadata = Metadata.from_dict(d.pop("_metadata"))

        o_id = d.pop("oId")
        if not isinstance(o_id, (str,)):
            raise TypeError(f"oId: expected str, got {type(o_id).__name__}")

        def _parse_created_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        created_at = _parse_created_at(d.pop("createdAt"))

        name = d.pop("name")
        if not isinstance(name, (str,)):
            raise TypeError(f"name: expected str, got {type(name).__name__}")

        internal_name = d.pop("internalName")
        if not isinstance(internal_name, (str,)):
            raise TypeError(f"internalName: expected str, got {type(internal_name).__name__}")

        description = d.pop("description")
        if not isinstance(description, (str,)):
            raise TypeError(f"description: expected str, got {type(description).__name__}")

        unrecognized = d.pop("unrecognized")
        if not isinstance(unrecognized, (bool,)):
            raise TypeError(f"unrecognized: expected bool, got {type(unrecognized).__name__}")

        rejected = d.pop("rejected")
        if not isinstance(rejected, (bool,)):
            raise TypeError(f"rejected: expected bool, got {type(rejected).__name__}")

        def _parse_updated_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        updated_at = _parse_updated_at(d.pop("updatedAt", UNSET))

        def _parse_deleted_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        deleted_at = _parse_deleted_at(d.pop("deletedAt", UNSET))

        def _parse_archived_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        archived_at = _parse_archived_at(d.pop("archivedAt", UNSET))

        active = d.pop("active", UNSET)
        if not isinstance(
            active,
            (
                bool,
                Unset,
            ),
        ):
            raise TypeError(f"active: expected bool | Unset, got {type(active).__name__}")

        _data = d.pop("data", UNSET)
        data: SegmentData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = SegmentData.from_dict(_data)

        def _parse_qualifying_questions(data: object) -> list[QualifyingQuestion] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                qualifying_questions_type_0 = []
                _qualifying_questions_type_0 = data
                for qualifying_questions_type_0_item_data in _qualifying_questions_type_0:
                    qualifying_questions_type_0_item = QualifyingQuestion.from_dict(
                        qualifying_questions_type_0_item_data
                    )

                    qualifying_questions_type_0.append(qualifying_questions_type_0_item)

                return qualifying_questions_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[QualifyingQuestion] | None | Unset, data)

        qualifying_questions = _parse_qualifying_questions(d.pop("qualifyingQuestions", UNSET))

        _user = d.pop("user", UNSET)
        user: User | Unset
        if isinstance(_user, Unset):
            user = UNSET
        else:
            user = User.from_dict(_user)

        _workspace = d.pop("workspace", UNSET)
        workspace: Workspace | Unset
        if isinstance(_workspace, Unset):
            workspace = UNSET
        else:
            workspace = Workspace.from_dict(_workspace)

        segment = cls(
            field_metadata=field_metadata,
            o_id=o_id,
            created_at=created_at,
            name=name,
            internal_name=internal_name,
            description=description,
            unrecognized=unrecognized,
            rejected=rejected,
            updated_at=updated_at,
            deleted_at=deleted_at,
            archived_at=archived_at,
            active=active,
            data=data,
            qualifying_questions=qualifying_questions,
            user=user,
            workspace=workspace,
        )

        segment.additional_properties = d
        return segment

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
