"""The core the kit's packages share: the spec model, validation, HTTP in and out, JSON text,
seeds, keys, where the contract is, and an app's Pact file with what a contract does to it.
The mock, the proxy and the contract run import its modules; an app imports nothing from here
(docs/development.md, "What is public")."""

__all__: list[str] = []
