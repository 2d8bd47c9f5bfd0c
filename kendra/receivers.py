"""Audit of signing in and out, from Django's auth signals."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import audit
from .clientip import client_ip as _ip
from .middleware import SESSION_KEY, refresh_expiry
from .models import Profile


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs):
    audit.record(user, "auth.signed_in", detail=_ip(request))
    if request is not None and hasattr(request, "session"):
        # Remember the person's language now, so pages need not look it up.

        refresh_expiry(request, user)
        language = Profile.objects.filter(user=user).values_list("language", flat=True).first()
        request.session[SESSION_KEY] = language or ""


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    if request is not None:
        request.kendra_signed_out = True  # NoStoreMiddleware: Clear-Site-Data on the answer
    if user is not None:
        audit.record(user, "auth.signed_out", detail=_ip(request))


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit.record(None, "auth.sign_in_failed", detail=f"username={username} ip={_ip(request)}")
