# Generated from openapi.yaml by `make generate`: do not edit.
"""Contains shared errors types that can be raised from API functions"""

from ._lib.errors import (
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
from ._lib.errors import error_for_response as error_for_response
from ._lib.errors import parse_retry_after as parse_retry_after
from ._lib.errors import request_id_of as request_id_of


class UnexpectedStatus(Exception):
    """Raised by api functions when the response status an undocumented status and Client.raise_on_unexpected_status is True"""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code}\n\nResponse content:\n{content.decode(errors='ignore')}"
        )


__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "InternalServerError",
    "NotFoundError",
    "OctaveError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnexpectedStatus",
]

# Tracebacks and reprs name each error where users import it: octave_client.errors.NotFoundError.
for _name in __all__:
    globals()[_name].__module__ = __name__
