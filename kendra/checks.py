"""System checks: production never writes message bodies to the console by mistake, and
sends SMS only as registered (DLT) templates.

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


@checks.register("kendra", deploy=True)
def registered_message_templates(app_configs=None, **kwargs):
    """With DJANGO_DEBUG=false and a real SMS gateway, every message kind needs its DLT
    template id in each language (and WhatsApp a real provider, not the console): an
    unregistered SMS is dropped by the operator, silently."""
    from kendra.notify import templates, transports

    if settings.DEBUG:
        return []
    errors = []
    if transports.provider("sms") != "console":
        if not settings.SMS_DLT_ENTITY_ID or not settings.SMS_DLT_SENDER:
            errors.append(
                checks.Error(
                    "SMS goes through a gateway but the DLT entity id or sender header is "
                    "not set: operators in India drop unregistered SMS.",
                    hint="Set SMS_DLT_ENTITY_ID and SMS_DLT_SENDER.",
                    id="kendra.E003",
                )
            )
        centres = [None, *settings.SMS_DLT_CENTRES]
        missing = sorted({m for centre in centres for m in templates.missing_ids(centre)})
        for kind in sorted({m.split(".")[0] for m in missing}):
            errors.append(
                checks.Error(
                    f"Message kind {kind!r} has no DLT template id for "
                    + ", ".join(m for m in missing if m.split(".")[0] == kind)
                    + ": these SMS would be dropped by the operator.",
                    hint="Register the template as `manage.py messaging_templates` prints "
                    "it and add its id to SMS_DLT_TEMPLATE_IDS (kind.language=id).",
                    id="kendra.E004",
                )
            )
    if transports.whatsapp_offered() and transports.provider("whatsapp") == "console":
        errors.append(
            checks.Error(
                "WhatsApp would be printed to the console with DJANGO_DEBUG=false.",
                hint="Set WHATSAPP_PROVIDER=cloud_api and the WHATSAPP_* settings.",
                id="kendra.E005",
            )
        )
    elif transports.whatsapp_offered() and not settings.WHATSAPP_APP_SECRET:
        errors.append(
            checks.Error(
                "WhatsApp is on but WHATSAPP_APP_SECRET is not set: its delivery webhooks "
                "could not be verified and would all be refused.",
                hint="Set WHATSAPP_APP_SECRET (the Meta app's secret).",
                id="kendra.E006",
            )
        )
    return errors
