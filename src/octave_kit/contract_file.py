"""The one place that knows where openapi.yaml is (and the checkout around it)."""

from __future__ import annotations

from pathlib import Path

# The kit is installed editable from its checkout, which holds the contract
# and the contract runs' configuration files.
CHECKOUT = Path(__file__).resolve().parents[2]
SPEC_PATH = CHECKOUT / "openapi.yaml"
