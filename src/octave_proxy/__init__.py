"""`octave-mock proxy`: a validating proxy in front of Octave, on the core's spec and validation.

`forwarding` is the ASGI app that forwards and checks, `report` the JSON Lines
report, `prism` Prism's `sl-violations` header, `objects` which object each
answer carries, `drift` what the upstream sends beyond the contract,
`recording` the seed `--record` writes, `settings` its options.
"""

from octave_proxy.forwarding import ValidatingProxy
from octave_proxy.settings import ProxySettings

__all__ = ["ProxySettings", "ValidatingProxy"]
