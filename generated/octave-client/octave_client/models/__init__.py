# Generated from openapi.yaml by `make generate`: do not edit.
"""Contains all the data models used in inputs/outputs"""

from .custom_field import CustomField
from .error import Error
from .firmographics import Firmographics
from .metadata import Metadata
from .offering_data import OfferingData
from .product import Product
from .product_data import ProductData
from .qualifying_question import QualifyingQuestion
from .reference import Reference
from .reference_data import ReferenceData
from .segment import Segment
from .segment_data import SegmentData
from .service_data import ServiceData
from .update_reference_request import UpdateReferenceRequest
from .update_reference_response import UpdateReferenceResponse
from .user import User
from .workspace import Workspace

__all__ = (
    "CustomField",
    "Error",
    "Firmographics",
    "Metadata",
    "OfferingData",
    "Product",
    "ProductData",
    "QualifyingQuestion",
    "Reference",
    "ReferenceData",
    "Segment",
    "SegmentData",
    "ServiceData",
    "UpdateReferenceRequest",
    "UpdateReferenceResponse",
    "User",
    "Workspace",
)
