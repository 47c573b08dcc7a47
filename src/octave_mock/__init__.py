"""A stateful, spec-driven mock of Octave's v2 REST API, and its test double.

`__all__` is what an app's tests import; the modules inside are the kit's own
(docs/development.md, "What is public").
"""

from octave_mock.additions import DoubleError
from octave_mock.app import create_app
from octave_mock.faults import Faults, RateLimit
from octave_mock.journal import RecordedRequest
from octave_mock.settings import Settings
from octave_mock.testing import RunningMock, running_mock

__all__ = [
    "DoubleError",
    "Faults",
    "RateLimit",
    "RecordedRequest",
    "RunningMock",
    "Settings",
    "create_app",
    "running_mock",
]
