"""Keep credentials out of the client libraries' debug logs.

tweepy logs every request's headers at DEBUG (``Authorization: Bearer ...``),
requests-oauthlib and oauthlib log OAuth 1.0a headers and parameters, prawcore
logs request data. The CLI keeps those loggers at WARNING, but anyone may turn
DEBUG on: a filter on each of them rewrites a record before any handler sees
it, masking bearer/basic credentials and every secret value registered with
:func:`protect`.
"""

from __future__ import annotations

import logging
import re

CLIENT_LOGGERS = ("tweepy.client", "requests_oauthlib.oauth1_auth", "requests_oauthlib.oauth1_session",
                  "oauthlib.oauth1.rfc5849", "oauthlib.oauth1.rfc5849.signature", "prawcore", "praw",
                  "urllib3.connectionpool")
MASK = "[redacted]"
_SCHEMES = re.compile(r"\b(Bearer|bearer|Basic|basic)(\s+)[A-Za-z0-9._~+/=%-]+")


class _Redactor(logging.Filter):
    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = _SCHEMES.sub(rf"\1\2{MASK}", message)
        for secret in self.secrets:
            clean = clean.replace(secret, MASK)
        if clean != message:
            record.msg, record.args = clean, None
        return True


_REDACTOR = _Redactor()


def protect(*secrets: str | None) -> None:
    """Mask these values (tokens, keys) in every client library's log records from now on."""
    _REDACTOR.secrets.update(s for s in secrets if s and len(s) >= 4)
    for name in CLIENT_LOGGERS:
        logger = logging.getLogger(name)
        if _REDACTOR not in logger.filters:
            logger.addFilter(_REDACTOR)
