# Generated from openapi.yaml by `make generate`: do not edit.
"""A client library for accessing Octave API"""

from .client import APIResponse, AsyncOctave, AuthenticatedClient, Client, Octave
from .errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    OctaveError,
    PermissionDeniedError,
    RateLimitError,
)

__version__ = "2.1.0"

__all__ = (
    "APIConnectionError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncOctave",
    "AuthenticatedClient",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "InternalServerError",
    "NotFoundError",
    "Octave",
    "OctaveError",
    "PermissionDeniedError",
    "RateLimitError",
    "__version__",
)
