"""Errors a user can cause and fix. Each carries a message that says what and where.

The CLI turns them into exit code 2, the web app into HTTP 4xx; anything else is a bug.
"""


class UserError(Exception):
    """Bad input: a file, a query, a parameter. `str(error)` is the message to show."""


class LoadError(UserError):
    """A data file cannot be read or parsed; the message names file, line and column."""


class QuerySyntaxError(UserError):
    """A SPARQL query does not parse; the message names line and column."""


class UnknownQueryError(UserError):
    """No named query has that name; the message lists the names there are."""


class ParameterError(UserError):
    """A parameter of a named query is missing, unknown or not of its type."""


class TooManyRows(UserError):
    """An answer longer than the caller's cap; the message says how to page through it."""
