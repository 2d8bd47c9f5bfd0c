"""No tokens in logs: the token part of check-in, calendar-feed and invitation addresses is
replaced by "[token]" before a line is written.

A check-in link (/checkins/c/<token>/), a calendar feed (/families/feed/<token>.ics) or an
invitation (…/invitation/<token>/, /staff/join/<token>/) opens a person's data without a password: a log line
holding one is a key left lying around. Used by Kendra's own logging (RedactTokens, in
settings.LOGGING and on Celery's handlers) and by gunicorn's access log
(kendra.gunicorn_logging.RedactingLogger, --logger-class in deploy/kendra-web.service).
nginx has its own map in deploy/nginx-kendra.conf.
"""

import logging
import re

# A path segment after one of the token pages' prefixes, or a token=… query parameter.
TOKEN_IN_URL = re.compile(
    r"(?P<prefix>/(?:c|feed|invitation|invitations|invite|accept|join)/|[?&;]token=)"
    r"(?P<token>[A-Za-z0-9_\-]{6,})"
)
REDACTED = "[token]"


def redact(text):
    """The text with every token of a token page's address replaced by [token]."""
    return TOKEN_IN_URL.sub(lambda m: m.group("prefix") + REDACTED, text)


class RedactTokens(logging.Filter):
    """A logging filter: the formatted message with tokens redacted (never drops a line)."""

    def filter(self, record):
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


def add_to_handlers(logger):
    """Put the filter on every handler of `logger` (Celery's own, set up at its start)."""
    for handler in logger.handlers:
        if not any(isinstance(f, RedactTokens) for f in handler.filters):
            handler.addFilter(RedactTokens())
