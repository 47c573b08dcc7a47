"""The one place that knows where openapi.yaml is."""

from __future__ import annotations

from pathlib import Path

# In the checkout this is a symbolic link to the top-level openapi.yaml (git keeps
# the link, not a second copy); a built wheel carries the file itself here. The
# kit needs no checkout: the tools that work on one find it with spec_tools.repository.
SPEC_PATH = Path(__file__).with_name("openapi.yaml")
