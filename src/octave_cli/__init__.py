"""The command line above the mock, the proxy and the contract run: `octave-mock`."""

from octave_cli.main import main

__all__ = ["main"]
