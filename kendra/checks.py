"""System checks: production never writes message bodies to the console by mistake.

With DJANGO_DEBUG=false, an SMS or email transport that prints (or files) each message
would put residents' check-in links and alerts in the service's log. Such a configuration
is refused: `manage.py check --deploy`, `migrate` and `runserver` fail with the error.
"""

from django.conf import settings
from django.core import checks

PRINTING_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@checks.register("kendra")
def no_console_transports_in_production(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []
    errors = []
    if settings.EMAIL_BACKEND in PRINTING_EMAIL_BACKENDS:
        errors.append(
            checks.Error(
                "Email would be printed to the console with DJANGO_DEBUG=false: message "
                "bodies (check-in links, alerts) would end up in the logs.",
                hint="Set EMAIL_URL (e.g. smtp+tls://user:password@smtp.example.in:587).",
                id="kendra.E001",
            )
        )
    if not settings.SMS_GATEWAY_URL:
        errors.append(
            checks.Error(
                "SMS would be printed to the console with DJANGO_DEBUG=false: message bodies "
                "(check-in links, alerts) would end up in the logs.",
                hint="Set SMS_GATEWAY_URL and SMS_GATEWAY_TOKEN to the SMS gateway.",
                id="kendra.E002",
            )
        )
    return errors
