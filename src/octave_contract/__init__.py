"""Contract runs of openapi.yaml with schemathesis: against the mock, or the real API."""
