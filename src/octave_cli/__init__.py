"""The command line above the mock, the proxy and the contract run: `octave-mock`."""
