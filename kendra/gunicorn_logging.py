"""gunicorn's logger with the tokens of check-in, feed and invitation addresses redacted
from the access log (request line, path, query, referrer, every header).

deploy/kendra-web.service: gunicorn --logger-class kendra.gunicorn_logging.RedactingLogger
"""

from gunicorn.glogging import Logger

from .logredact import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(v) if isinstance(v, str) else v for key, v in atoms.items()}
