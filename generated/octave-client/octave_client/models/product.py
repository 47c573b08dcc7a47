# Generated from openapi.yaml by `make generate`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.metadata import Metadata
    from ..models.offering_data import OfferingData
    from ..models.product_data import ProductData
    from ..models.qualifying_question import QualifyingQuestion
    from ..models.service_data import ServiceData
    from ..models.user import User
    from ..models.workspace import Workspace


T = TypeVar("T", bound="Product")


@_attrs_define
class Product:
    """An offering of the workspace, as Get Product returns it: `_metadata`
    beside the offering's fields.

    """

    field_metadata: Metadata
    """ Sent with every answer, successful or not. Octave does not publish
    which members are required, so none is.
     """
    o_id: str
    """ The ID of the product. """
    created_at: str
    """ When the product was created. Octave's docs print date-only
    examples (`2021-01-01`), so no `format` is enforced.
     """
    data: OfferingData | ProductData | ServiceData
    """ The offering's content. Its shape depends on `type`: `PRODUCT`
    and `SERVICE` have published shapes; any other type is read as
    a generic offering.
     """
    user: User
    """ The user who created the object. """
    workspace: Workspace
    """ The workspace that owns the object. """
    updated_at: None | str | Unset = UNSET
    """ When the product was last updated. """
    archived_at: None | str | Unset = UNSET
    """ When the product was archived; `null` unless archived. """
    deleted_at: None | str | Unset = UNSET
    """ When the product was deleted; `null` unless deleted. """
    name: None | str | Unset = UNSET
    """ The external facing name of the product. """
    internal_name: None | str | Unset = UNSET
    """ The internal name of the product. """
    description: None | str | Unset = UNSET
    """ The description of the product. """
    primary_url: None | str | Unset = UNSET
    """ The primary URL of the product. """
    active: bool | Unset = True
    """ Whether the product is active and can be used. """
    qualifying_questions: list[QualifyingQuestion] | None | Unset = UNSET
    """ Questions that tell whether a prospect fits this product. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    request_id_: str = _attrs_field(init=False, default="", eq=False, repr=False)
    """ The request id of the answer this came from (`X-Request-Id`, else `_metadata.requestId`), set
    by `Octave` and `AsyncOctave`; empty otherwise. The trailing `_` keeps it apart from the spec's
    fields: the generator ends a field's name with `_` only for a Python keyword or builtin. """

    def to_dict(self) -> dict[str, Any]:
        from ..models.product_data import ProductData  # noqa: PLC0415
        from ..models.service_data import ServiceData  # noqa: PLC0415

        field_metadata = self.field_metadata.to_dict()

        o_id = self.o_id

        created_at = self.created_at

        data: dict[str, Any]
        if isinstance(self.data, ProductData):
            data = self.data.to_dict()
        elif isinstance(self.data, ServiceData):
            data = self.data.to_dict()
        else:
            data = self.data.to_dict()

        user = self.user.to_dict()

        workspace = self.workspace.to_dict()

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        else:
            updated_at = self.updated_at

        archived_at: None | str | Unset
        if isinstance(self.archived_at, Unset):
            archived_at = UNSET
        else:
            archived_at = self.archived_at

        deleted_at: None | str | Unset
        if isinstance(self.deleted_at, Unset):
            deleted_at = UNSET
        else:
            deleted_at = self.deleted_at

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

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        primary_url: None | str | Unset
        if isinstance(self.primary_url, Unset):
            primary_url = UNSET
        else:
            primary_url = self.primary_url

        active = self.active

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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "_metadata": field_metadata,
                "oId": o_id,
                "createdAt": created_at,
                "data": data,
                "user": user,
                "workspace": workspace,
            }
        )
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at
        if archived_at is not UNSET:
            field_dict["archivedAt"] = archived_at
        if deleted_at is not UNSET:
            field_dict["deletedAt"] = deleted_at
        if name is not UNSET:
            field_dict["name"] = name
        if internal_name is not UNSET:
            field_dict["internalName"] = internal_name
        if description is not UNSET:
            field_dict["description"] = description
        if primary_url is not UNSET:
            field_dict["primaryUrl"] = primary_url
        if active is not UNSET:
            field_dict["active"] = active
        if qualifying_questions is not UNSET:
            field_dict["qualifyingQuestions"] = qualifying_questions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.metadata import Metadata  # noqa: PLC0415
        from ..models.offering_data import OfferingData  # noqa: PLC0415
        from ..models.product_data import ProductData  # noqa: PLC0415
        from ..models.qualifying_question import QualifyingQuestion  # noqa: PLC0415
        from ..models.service_data import ServiceData  # noqa: PLC0415
        from ..models.user import User  # noqa: PLC0415
        from ..models.workspace import Workspace  # noqa: PLC0415

        d = dict(src_dict)
        field_metadata = Metadata.from_dict(d.pop("_metadata"))

        o_id = d.pop("oId")
        if not isinstance(o_id, (str,)):
            raise TypeError(f"oId: expected str, got {type(o_id).__name__}")

        created_at = d.pop("createdAt")
        if not isinstance(created_at, (str,)):
            raise TypeError(f"createdAt: expected str, got {type(created_at).__name__}")

        def _parse_data(data: object) -> OfferingData | ProductData | ServiceData:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = ProductData.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_1 = ServiceData.from_dict(data)

                return data_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            data_type_2 = OfferingData.from_dict(data)

            return data_type_2

        data = _parse_data(d.pop("data"))

        user = User.from_dict(d.pop("user"))

        workspace = Workspace.from_dict(d.pop("workspace"))

        def _parse_updated_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        updated_at = _parse_updated_at(d.pop("updatedAt", UNSET))

        def _parse_archived_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        archived_at = _parse_archived_at(d.pop("archivedAt", UNSET))

        def _parse_deleted_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        deleted_at = _parse_deleted_at(d.pop("deletedAt", UNSET))

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

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_primary_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        primary_url = _parse_primary_url(d.pop("primaryUrl", UNSET))

        active = d.pop("active", UNSET)
        if not isinstance(
            active,
            (
                bool,
                Unset,
            ),
        ):
            raise TypeError(f"active: expected bool | Unset, got {type(active).__name__}")

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

        product = cls(
            field_metadata=field_metadata,
            o_id=o_id,
            created_at=created_at,
            data=data,
            user=user,
            workspace=workspace,
            updated_at=updated_at,
            archived_at=archived_at,
            deleted_at=deleted_at,
            name=name,
            internal_name=internal_name,
            description=description,
            primary_url=primary_url,
            active=active,
            qualifying_questions=qualifying_questions,
        )

        product.additional_properties = d
        return product

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
