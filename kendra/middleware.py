from django.utils import translation

SESSION_KEY = "kendra_language"


class UserLanguageMiddleware:
    """Use the language a signed-in person chose, remembered on their profile.

    Runs after authentication. The choice is copied into the session on first use so
    that later requests cost no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            lang = request.session.get(SESSION_KEY)
            if lang is None:
                from .models import Profile

                lang = Profile.objects.filter(user=user).values_list("language", flat=True).first()
                request.session[SESSION_KEY] = lang or ""
            if lang:
                translation.activate(lang)
                request.LANGUAGE_CODE = lang
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Sign staff out after STAFF_IDLE_SECONDS without a request (shared desktops).

    The session's expiry is refreshed at most once a minute, so most requests write nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            last = request.session.get("kendra_seen", 0)
            if int(time.time()) - last > 60:
                refresh_expiry(request, user)
        return self.get_response(request)


def refresh_expiry(request, user):
    """Give the session its idle limit from now: short for staff, long for families."""
    import time

    from django.conf import settings

    from . import access

    staff = access.is_staff_member(user) or user.is_staff
    request.session.set_expiry(
        settings.STAFF_IDLE_SECONDS if staff else settings.FAMILY_IDLE_SECONDS
    )
    request.session["kendra_seen"] = int(time.time())


class NoStoreMiddleware:
    """Pages of a signed-in person are never kept by the browser or a proxy
    (Cache-Control: no-store): a shared computer's back button or disk cache must not show
    a resident's record to the next person. Signing out also tells the browser to clear
    what it cached of Kendra (Clear-Site-Data: "cache")."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_out = getattr(request, "kendra_signed_out", False)
        if signed_out or (user is not None and user.is_authenticated):
            from django.utils.cache import add_never_cache_headers

            add_never_cache_headers(response)
        if signed_out:
            response["Clear-Site-Data"] = '"cache"'
        return response
