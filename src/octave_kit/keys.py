"""API keys: the header that carries one, and how a key is shown without giving it away."""

from __future__ import annotations

KEY_HEADER = "api_key"
BLANKED_KEY = "[api key]"  # what stands where a key was, in anything the kit keeps
# Request headers whose value is a credential: never kept whole, wherever the kit keeps traffic.
CREDENTIAL_HEADERS = frozenset({KEY_HEADER, "authorization", "cookie", "proxy-authorization"})


def key_hint(key: str) -> str:
    """Enough of a key to tell which one it is, never the whole of it."""
    return f"{key[:8]}…{key[-4:]}" if len(key) >= 16 else f"…{key[-2:]}"
