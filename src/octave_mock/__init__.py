"""A stateful, spec-driven mock of Octave's v2 REST API."""

from octave_mock.additions import DoubleError
from octave_mock.app import create_app
from octave_mock.faults import Faults
from octave_mock.journal import RecordedRequest
from octave_mock.settings import Settings

__all__ = ["DoubleError", "Faults", "RecordedRequest", "Settings", "create_app"]
