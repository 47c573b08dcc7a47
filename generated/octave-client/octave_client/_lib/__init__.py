# Generated from openapi.yaml by `make generate`: do not edit.
# Copied from client_lib/__init__.py: edit that file.
"""The SDK's hand-written modules: retries, options, raw responses, errors and logging.

They are ordinary Python, linted, type-checked and unit-tested here (tests/client_lib).
`make generate` copies this folder into the generated package as `octave_client._lib`, which
the templates import; the templates keep only what varies with the spec (one resource per
tag, one method per operation, the models). Nothing here imports the generated code.
"""
