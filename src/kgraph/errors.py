"""One exception hierarchy for kgraph.

Every error knows the HTTP status the server answers with, the exit code the
CLI ends with, and a stable machine-readable ``code``. Nothing below the CLI
calls ``sys.exit``; adapters translate these exceptions in one place each
(``kgraph.cli`` and ``kgraph.server.errors``).

::

    KgraphError (500, exit 2)
    ├── ConfigError (500, exit 2)                 bad settings, missing files
    ├── InputError (400, exit 1)                  an input cannot be used
    │   ├── ArticleError                          a malformed article (names file and line)
    │   └── QueryError                            a SPARQL query/update the engine cannot parse or apply
    ├── LimitError (413, exit 1)                  an input larger than a configured limit
    ├── QueryTimeout (503, exit 1)                a query ran past the timeout and was stopped
    ├── ForbiddenOperation (403, exit 1)          SERVICE, LOAD, updates on a read-only server
    ├── AuthError (401, exit 1)                   a write without (or with a wrong) token
    ├── NotFound (404, exit 1)                    an unknown IRI, document or route
    ├── ValidationFailed (422, exit 1)            SHACL reports violations (graph not conforming)
    └── StoreError (503, exit 2)                  the store cannot be opened, read or written
        ├── StoreLocked                           another process holds the store
        └── StoreReadOnly                         disk full or read-only file system
"""

from __future__ import annotations


class KgraphError(Exception):
    """Base class: an error kgraph expects and can explain to its user."""

    status: int = 500
    exit_code: int = 2
    code: str = "kgraph-error"

    def __init__(self, message: str, *, detail: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail or {}

    def to_dict(self) -> dict:
        """The one JSON error shape served by the API: ``{"error": {code, message, ...}}``."""
        return {"error": {"code": self.code, "message": self.message, **self.detail}}


class ConfigError(KgraphError):
    code = "config-error"


class InputError(KgraphError):
    status = 400
    exit_code = 1
    code = "bad-input"


class ArticleError(InputError):
    """A malformed article; ``where`` names the file and, for JSON lines, the line."""

    code = "bad-article"

    def __init__(self, message: str, *, where: str = "") -> None:
        super().__init__(f"{where}: {message}" if where else message, detail={"where": where} if where else None)
        self.where = where
        self.reason = message


class QueryError(InputError):
    code = "bad-query"


class LimitError(KgraphError):
    status = 413
    exit_code = 1
    code = "limit-exceeded"


class NotRepresentable(KgraphError):
    """The answer exists but the asked-for format cannot carry it (a control character in XML 1.0)."""

    status = 406
    exit_code = 1
    code = "not-representable"


class QueryTimeout(KgraphError):
    status = 503
    exit_code = 1
    code = "query-timeout"


class ForbiddenOperation(KgraphError):
    status = 403
    exit_code = 1
    code = "forbidden"


class AuthError(KgraphError):
    status = 401
    exit_code = 1
    code = "unauthorized"


class NotFound(KgraphError):
    status = 404
    exit_code = 1
    code = "not-found"


class ValidationFailed(KgraphError):
    status = 422
    exit_code = 1
    code = "validation-failed"


class StoreError(KgraphError):
    status = 503
    exit_code = 2
    code = "store-error"


class StoreLocked(StoreError):
    code = "store-locked"


class StoreReadOnly(StoreError):
    code = "store-read-only"
