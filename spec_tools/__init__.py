"""Tools for changing the contract: its versions, its diff and its reference page."""
