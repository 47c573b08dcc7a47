# Generated from openapi.yaml by `make generate`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.reference_data import ReferenceData
    from ..models.user import User
    from ..models.workspace import Workspace


T = TypeVar("T", bound="Reference")


@_attrs_define
class Reference:
    """A reference (customer story) of the workspace."""

    o_id: str
    """ The ID of the reference. """
    created_at: str
    """ When the reference was created (date-only in Octave's examples). """
    data: None | ReferenceData
    """ The reference's content; `null` when it has none yet. """
    user: User
    """ The user who created the object. """
    workspace: Workspace
    """ The workspace that owns the object. """
    name: None | str | Unset = UNSET
    """ The external facing name of the reference. """
    internal_name: None | str | Unset = UNSET
    """ The internal name of the reference. """
    updated_at: None | str | Unset = UNSET
    """ When the reference was last updated. """
    deleted_at: None | str | Unset = UNSET
    """ When the reference was deleted; `null` unless deleted. """
    archived_at: None | str | Unset = UNSET
    """ When the reference was archived; `null` unless archived. """
    description: None | str | Unset = UNSET
    """ A description of the reference. """
    active: bool | Unset = UNSET
    """ Whether the reference is active and can be used. """
    unrecognized: bool | Unset = UNSET
    """ Whether Octave could not recognise the reference's company. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.reference_data import ReferenceData  # noqa: PLC0415

        o_id = self.o_id

        created_at = self.created_at

        data: dict[str, Any] | None
        if isinstance(self.data, ReferenceData):
            data = self.data.to_dict()
        else:
            data = self.data

        user = self.user.to_dict()

        workspace = self.workspace.to_dict()

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        internal_name: None | str | Unset
        if isinstance(self.internal_name, Unset):
            internal_name = UNSET
        else:
            internal_name = self.internal_name

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

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        active = self.active

        unrecognized = self.unrecognized

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "oId": o_id,
                "createdAt": created_at,
                "data": data,
                "user": user,
                "workspace": workspace,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if internal_name is not UNSET:
            field_dict["internalName"] = internal_name
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at
        if deleted_at is not UNSET:
            field_dict["deletedAt"] = deleted_at
        if archived_at is not UNSET:
            field_dict["archivedAt"] = archived_at
        if description is not UNSET:
            field_dict["description"] = description
        if active is not UNSET:
            field_dict["active"] = active
        if unrecognized is not UNSET:
            field_dict["unrecognized"] = unrecognized

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reference_data import ReferenceData  # noqa: PLC0415
        from ..models.user import User  # noqa: PLC0415
        from ..models.workspace import Workspace  # noqa: PLC0415

        d = dict(src_dict)
        o_id = d.pop("oId")
        if not isinstance(o_id, (str,)):
            raise TypeError(f"oId: expected str, got {type(o_id).__name__}")

        created_at = d.pop("createdAt")
        if not isinstance(created_at, (str,)):
            raise TypeError(f"createdAt: expected str, got {type(created_at).__name__}")

        def _parse_data(data: object) -> None | ReferenceData:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = ReferenceData.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReferenceData, data)

        data = _parse_data(d.pop("data"))

        user = User.from_dict(d.pop("user"))

        workspace = Workspace.from_dict(d.pop("workspace"))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_internal_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        internal_name = _parse_internal_name(d.pop("internalName", UNSET))

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

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        active = d.pop("active", UNSET)
        if not isinstance(
            active,
            (
                bool,
                Unset,
            ),
        ):
            raise TypeError(f"active: expected bool | Unset, got {type(active).__name__}")

        unrecognized = d.pop("unrecognized", UNSET)
        if not isinstance(
            unrecognized,
            (
                bool,
                Unset,
            ),
        ):
            raise TypeError(f"unrecognized: expected bool | Unset, got {type(unrecognized).__name__}")

        reference = cls(
            o_id=o_id,
            created_at=created_at,
            data=data,
            user=user,
            workspace=workspace,
            name=name,
            internal_name=internal_name,
            updated_at=updated_at,
            deleted_at=deleted_at,
            archived_at=archived_at,
            description=description,
            active=active,
            unrecognized=unrecognized,
        )

        reference.additional_properties = d
        return reference

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
