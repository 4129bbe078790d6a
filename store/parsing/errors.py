"""The one error every parser raises for input it cannot read."""


class ParseError(ValueError):
    """A file holds no written question this project can read; the message says why, in a phrase."""
