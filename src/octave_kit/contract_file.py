"""The one place that knows where openapi.yaml is (and the checkout around it)."""

from __future__ import annotations

from pathlib import Path

# In the checkout this is a symbolic link to the top-level openapi.yaml (git keeps
# the link, not a second copy); a built wheel carries the file itself here.
SPEC_PATH = Path(__file__).with_name("openapi.yaml")
# The checkout, for the contract runs' configuration files and reports; only
# meaningful when the kit is installed editable from it.
CHECKOUT = Path(__file__).resolve().parents[2]
