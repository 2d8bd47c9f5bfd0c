"""Phone numbers, read by the `phonenumbers` library (Google's libphonenumber data).

Any common spelling is accepted ("98765 43210", "098765-43210", "+91 98765 43210",
"0091 9876543210", "(+91) 98765.43210" …); a number without a country code is read in the
installation's region (setting KENDRA_PHONE_REGION, "IN"). Numbers are stored in E.164
("+919876543210") and shown in national format (the `phone` template filter,
kendra/templatetags/phones.py). SMS and WhatsApp reach mobiles only: a landline is refused
for them with a message that says so.
"""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumbers import PhoneNumberFormat, PhoneNumberType

# Types that can take an SMS or a WhatsApp message. India's mobile ranges are MOBILE;
# FIXED_LINE_OR_MOBILE is where a numbering plan cannot tell the two apart (e.g. the US).
MOBILE_TYPES = {
    PhoneNumberType.MOBILE,
    PhoneNumberType.FIXED_LINE_OR_MOBILE,
    PhoneNumberType.PERSONAL_NUMBER,
}
MAX_LENGTH = 40  # a spelling longer than this is not a phone number

GARBAGE = _("Write the number with digits only, for example 98765 43210 or +91 98765 43210.")
INVALID = _(
    "This is not a valid phone number. Enter a 10-digit mobile number, for example "
    "98765 43210, or the number with its country code."
)
LANDLINE = _(
    "This is a landline number: SMS and WhatsApp reach mobile numbers only. Write a mobile number."
)
NOT_MOBILE = _(
    "This number cannot receive SMS or WhatsApp (it is not a mobile number). Write a mobile number."
)


def region():
    return getattr(settings, "KENDRA_PHONE_REGION", "IN") or "IN"


def parse(raw):
    """The phonenumbers.PhoneNumber for `raw`, or a ValidationError in words."""
    text = (raw or "").strip()
    if len(text) > MAX_LENGTH or "\x00" in text:
        raise ValidationError(GARBAGE, code="phone")
    if text.startswith("00"):  # the international prefix dialled from India and Europe
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region())
    except phonenumbers.NumberParseException:
        raise ValidationError(GARBAGE, code="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID, code="phone")
    return number


def e164(number):
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def normalise(raw, *, mobile=True):
    """The E.164 spelling of `raw` ("" for blank), or a ValidationError. With mobile=True
    (numbers Kendra sends SMS or WhatsApp to) a landline is refused."""
    if not (raw or "").strip():
        return ""
    number = parse(raw)
    if mobile:
        kind = phonenumbers.number_type(number)
        if kind == PhoneNumberType.FIXED_LINE:
            raise ValidationError(LANDLINE, code="landline")
        if kind not in MOBILE_TYPES:
            raise ValidationError(NOT_MOBILE, code="not_mobile")
    return e164(number)


def normalise_mobile(raw):
    """A form's clean_phone for a number Kendra writes to (SMS, WhatsApp)."""
    return normalise(raw, mobile=True)


def normalise_any(raw):
    """A centre's own numbers: a landline, a mobile, or a short emergency number (112)."""
    digits = (raw or "").strip().replace(" ", "").replace("-", "")
    if digits.isascii() and digits.isdigit() and 3 <= len(digits) <= 6:
        return digits  # a short number (112, 14416) is dialled as it is written
    return normalise(raw, mobile=False)


def or_none(raw, *, mobile=False):
    """E.164 or None, never an exception: for data migrations and webhooks."""
    try:
        return normalise(raw, mobile=mobile) or None
    except ValidationError:
        return None


def national(value):
    """How a stored number is shown: national format in the installation's region
    ("098765 43210"), international format elsewhere; anything unparsable as it is."""
    if not value:
        return value
    try:
        number = phonenumbers.parse(value, region())
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_valid_number(number):
        return value
    if phonenumbers.region_code_for_number(number) == region():
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
