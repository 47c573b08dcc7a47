"""The SDK's logger, and OCTAVE_LOG, which turns its lines on without any logging setup."""

import logging
import os

# The logger of the package this module ships in: octave_client.
logger = logging.getLogger(__name__.partition(".")[0])


def configure_logging_from_env() -> None:
    """OCTAVE_LOG=info|debug prints the SDK's log lines on stderr."""
    level = os.environ.get("OCTAVE_LOG", "").strip().lower()
    if level in ("info", "debug") and not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG if level == "debug" else logging.INFO)
