"""What the kit's packages share: where the contract is, and how to reach a local server."""
