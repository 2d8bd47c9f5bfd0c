"""POSTing JSON to a provider and reading its answer, shared by the HTTP gateways."""

import json
import urllib.error
import urllib.request

from ..errors import PermanentError, TransientError

# Answers that say "try later" rather than "never".
RETRY_CODES = frozenset({408, 425, 429})


def post_json(url, payload, headers, timeout):
    """(HTTP status, parsed JSON body) of a 2xx answer. An error answer raises
    PermanentError (refused credentials 401/403, any other 4xx) or TransientError (408,
    425, 429, 5xx, unreachable), with the provider's own words (`describe`) attached."""
    request = urllib.request.Request(  # noqa: S310 - URL comes from settings
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Content-Type": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, parse(response.read())
    except urllib.error.HTTPError as exc:
        body = parse(exc.read()[:4000])
        detail = f"gateway answered {exc.code}: {describe(body) or 'no reason given'}"
        if exc.code in (401, 403):
            raise PermanentError(detail, "credentials") from exc
        if 400 <= exc.code < 500 and exc.code not in RETRY_CODES:
            raise PermanentError(detail, "refused", body=body) from exc
        raise TransientError(detail) from exc
    except (TimeoutError, urllib.error.URLError, OSError) as exc:
        raise TransientError(f"gateway unreachable: {exc}") from exc


def parse(raw):
    """The answer's JSON object; {"_raw": text} when it is not JSON."""
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        return {"_raw": raw[:200].decode("utf8", "replace") if isinstance(raw, bytes) else raw}
    return body if isinstance(body, dict) else {"_raw": str(body)[:200]}


def describe(body):
    """The provider's reason, in its own words, short."""
    error = body.get("error")
    if isinstance(error, dict):
        details = (error.get("error_data") or {}).get("details", "")
        text = " ".join(str(x) for x in (error.get("code", ""), error.get("message", ""), details))
        return text.strip()[:300]
    for key in ("reason", "error", "message", "description", "_raw"):
        if body.get(key):
            return str(body[key])[:300]
    return ""
