"""Registered message templates: what SMS (India's DLT) and WhatsApp are allowed to carry.

In India an SMS reaches a phone only when its text matches a template the centre
registered on its operator's DLT platform: fixed words, with variables written `{#var#}`
(at most 30 characters each) or `{#url#}` for a link. WhatsApp, likewise, starts a
conversation only with a template Meta approved (name, language, body parameters).

Every kind of message Kendra writes has one entry here, in English and Hindi. An SMS or
WhatsApp row is written from it: `variables` on the row are the values for the template's
places, in order, and its body is the template with them filled in, exactly what a phone
shows. Email and in-app messages keep their own wording (templates/notify/).

The ids the operator gives each registered template come from settings
(SMS_DLT_TEMPLATE_IDS, "kind.language=id"; a centre that registered separately overrides
them and the entity id and sender header in SMS_DLT_CENTRES). `manage.py
messaging_templates` prints every template as it must be registered.
"""

import functools
import re
from dataclasses import dataclass

from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from .fill import LINK

VAR, URL = "{#var#}", "{#url#}"
MAX_VARIABLE = 30  # DLT's limit for one {#var#} value
LANGUAGES = ("en", "hi")
_PLACE = re.compile(r"\{#(?:var|url)#\}")


@dataclass(frozen=True)
class MessageTemplate:
    kind: str
    # (name, Django template snippet rendered with the message's context); a name "link"
    # is a {#url#} place (no 30-character limit), every other a {#var#}.
    variables: tuple
    text: dict  # language -> the registered text, with its {#var#} / {#url#} places

    def places(self):
        return [URL if name == "link" else VAR for name, _snippet in self.variables]


def _t(kind, variables, en, hi):
    return MessageTemplate(kind, tuple(variables), {"en": en, "hi": hi})


NAME = ("name", "{{ resident.display_name }}")
PHONE = ("phone", "{{ resident.phone }}")
MENTEE = ("name", "{{ mentee.display_name }}")

REGISTRY = {
    t.kind: t
    for t in [
        _t(
            "checkin",
            [("name", "{{ name }}"), ("link", "{{ link }}")],
            "Namaste {#var#}. How are you feeling today? Answer in three taps: {#url#}",
            "नमस्ते {#var#}। आज आप कैसा महसूस कर रहे हैं? तीन टैप में जवाब दें: {#url#}",
        ),
        _t(
            "help",
            [NAME, PHONE],
            "Kendra: {#var#} needs help now. Please call them on {#var#} and acknowledge "
            "the alert in Kendra.",
            "Kendra: {#var#} को अभी मदद चाहिए। कृपया उन्हें {#var#} पर फ़ोन करें और Kendra में "
            "चेतावनी पर “देख लिया” दबाएँ।",
        ),
        _t(
            "alert",
            [NAME, PHONE],
            "Kendra alert for {#var#}. Please look at it in Kendra and acknowledge it. "
            "Phone: {#var#}",
            "{#var#} के लिए Kendra चेतावनी। कृपया इसे Kendra में देखें और “देख लिया” दबाएँ। फ़ोन: {#var#}",
        ),
        _t(
            "escalation",
            [NAME, PHONE],
            "Kendra: nobody has acknowledged the alert for {#var#}, so it now comes to you. "
            "Please call them on {#var#}.",
            "Kendra: {#var#} की चेतावनी पर किसी ने “देख लिया” नहीं दबाया, इसलिए अब यह आपके पास है। "
            "कृपया उन्हें {#var#} पर फ़ोन करें।",
        ),
        _t(
            "mentor_contact_overdue",
            [MENTEE, ("days", "{{ days }}")],
            "Kendra: {#var#} has not heard from you for {#var#} days. A short call helps. "
            "Please log the contact in Kendra.",
            "Kendra: {#var#} से आपकी बात {#var#} दिनों से नहीं हुई है। एक छोटा फ़ोन मदद करता है। "
            "कृपया संपर्क Kendra में दर्ज करें।",
        ),
        _t(
            "pairing_assigned",
            [("mentor", "{{ mentor.name }}"), MENTEE],
            "Namaste {#var#}, you are now the mentor of {#var#}. Please meet or call them in "
            "the next few days, and log the contact in Kendra.",
            "नमस्ते {#var#}, अब आप {#var#} के मेंटर हैं। कृपया अगले कुछ दिनों में उनसे मिलें या "
            "फ़ोन करें, और संपर्क Kendra में दर्ज करें।",
        ),
        _t(
            "family_meeting_tomorrow",
            [
                ("title", "{{ meeting.title }}"),
                ("time", '{{ meeting.starts_at|time:"g:i a" }}'),
                ("place", '{% firstof meeting.place "-" %}'),
            ],
            "Reminder from Kendra: {#var#} is tomorrow at {#var#}. Place: {#var#}",
            "Kendra की ओर से याद दिलाना: {#var#} कल {#var#} बजे है। जगह: {#var#}",
        ),
        _t(
            "family_invitation",
            [("centre", "{{ name_in_messages }}"), ("link", "{{ link }}")],
            "{#var#} invites you to see your family meeting schedule. Set your password "
            "here (valid 7 days): {#url#}",
            "{#var#} आपको अपने परिवार की बैठकों का कार्यक्रम देखने के लिए आमंत्रित करता है। "
            "अपना पासवर्ड यहाँ बनाएँ (7 दिन तक मान्य): {#url#}",
        ),
        _t(
            "staff_invitation",
            [
                ("centre", "{{ name_in_messages }}"),
                ("role", "{{ invitation.get_role_display }}"),
                ("link", "{{ link }}"),
            ],
            "{#var#}: you are invited to work with us as {#var#}. Choose your password "
            "here: {#url#}",
            "{#var#}: आपको हमारे साथ {#var#} के रूप में काम करने के लिए आमंत्रित किया गया है। "
            "अपना पासवर्ड यहाँ चुनें: {#url#}",
        ),
        _t(
            "followup_digest",
            [("count", "{{ count }}")],
            "Kendra: {#var#} follow-ups are due this week. Please see the list in Kendra.",
            "Kendra: इस हफ़्ते {#var#} फ़ॉलो-अप बाकी हैं। कृपया सूची Kendra में देखें।",
        ),
        _t(
            "followup_overdue",
            [("name", "{{ followup.profile.resident.display_name }}"), ("days", "{{ days }}")],
            "Kendra: the follow-up of {#var#} is {#var#} days overdue. Please make sure "
            "someone calls.",
            "Kendra: {#var#} का फ़ॉलो-अप {#var#} दिन से बाकी है। कृपया देखें कि कोई फ़ोन करे।",
        ),
        _t(
            "anniversary",
            [
                ("name", "{{ resident.display_name }}"),
                ("span", "{{ span }}"),
                (
                    "words",
                    "{% load i18n %}{% if words %}{{ words }}{% else %}"
                    '{% translate "Warm wishes from all of us." %}{% endif %}',
                ),
                ("centre", "{{ name_in_messages }}"),
            ],
            "Namaste {#var#}, today it is {#var#} since your new beginning. {#var#} - {#var#}",
            "नमस्ते {#var#}, आज आपकी नई शुरुआत को {#var#} हो गए। {#var#} - {#var#}",
        ),
        _t(
            "story_news",
            [("name", "{{ resident.display_name }}"), ("what", "{{ what }}")],
            "Namaste {#var#}. Your story {#var#}. Ask us if you have any question.",
            "नमस्ते {#var#}। आपकी कहानी {#var#}। कोई सवाल हो तो हमसे पूछें।",
        ),
        _t(
            "story_withdrawn",
            [
                ("name", "{{ story.profile.resident.display_name }}"),
                ("title", "{{ story.title|truncatechars:30 }}"),
            ],
            "Kendra: {#var#} withdrew consent for the story {#var#}. It is no longer shown.",
            "Kendra: {#var#} ने कहानी {#var#} की सहमति वापस ले ली। अब यह नहीं दिखाई जाती।",
        ),
        _t(
            "message",
            [("text", "{% firstof body text subject %}")],
            "Kendra: {#var#}",
            "Kendra: {#var#}",
        ),
    ]
}


class TemplateMissing(LookupError):
    pass


class VariableTooLong(ValueError):
    def __init__(self, kind, name, length):
        super().__init__(
            f"{kind}: the value for '{name}' has {length} characters; the registered "
            f"template allows {MAX_VARIABLE} (DLT), so the message was not sent"
        )


def template_for(kind):
    try:
        return REGISTRY[kind]
    except KeyError:
        raise TemplateMissing(f"no registered template for message kind {kind!r}") from None


def language_of(language):
    return language if language in LANGUAGES else "en"


@functools.cache
def _compiled(snippet):
    return Template(snippet)  # once per snippet: the fan-out writes thousands of rows


def variables_for(kind, context, language):
    """The values for `kind`'s template places, rendered in `language` (a link stays the
    send-time placeholder LINK when that is what the context holds)."""
    template = template_for(kind)
    with translation.override(language_of(language)):
        return [
            " ".join(_compiled(snippet).render(Context(context, autoescape=False)).split())
            for _name, snippet in template.variables
        ]


def check_lengths(kind, values):
    """Raise VariableTooLong for the first {#var#} value over DLT's 30 characters."""
    for (name, _snippet), place, value in zip(
        template_for(kind).variables, template_for(kind).places(), values, strict=True
    ):
        if place == VAR and len(value) > MAX_VARIABLE:
            raise VariableTooLong(kind, name, len(value))


def text_for(kind, language, values):
    """The registered text with `values` in its places: what the phone shows."""
    it = iter(values)
    return _PLACE.sub(lambda _m: next(it), template_for(kind).text[language_of(language)])


def dlt_config(centre_id=None):
    """(entity id, sender header, {"kind.language": template id}) for a centre: the
    installation's, with what the centre registered separately over it."""
    ids = dict(settings.SMS_DLT_TEMPLATE_IDS)
    entity, sender = settings.SMS_DLT_ENTITY_ID, settings.SMS_DLT_SENDER
    own = settings.SMS_DLT_CENTRES.get(str(centre_id), {}) if centre_id else {}
    ids.update(own.get("templates", {}))
    return own.get("entity_id") or entity, own.get("sender") or sender, ids


def dlt_template_id(kind, language, centre_id=None):
    return dlt_config(centre_id)[2].get(f"{kind}.{language_of(language)}", "")


def whatsapp_name(kind):
    return settings.WHATSAPP_TEMPLATE_NAMES.get(kind, f"kendra_{kind}")


def registered_form(kind, language):
    """The text as it is registered: the {#var#} / {#url#} places left in."""
    return template_for(kind).text[language_of(language)]


def whatsapp_form(kind, language):
    """The text as Meta registers it: places numbered {{1}}, {{2}} …"""
    count = iter(range(1, 100))
    return _PLACE.sub(lambda _m: f"{{{{{next(count)}}}}}", registered_form(kind, language))


def missing_ids(centre_id=None):
    """["kind.language", …] without a DLT template id."""
    ids = dlt_config(centre_id)[2]
    return [f"{k}.{lang}" for k in REGISTRY for lang in LANGUAGES if not ids.get(f"{k}.{lang}")]


PHONE_CHANNELS = frozenset({"sms", "whatsapp"})


def row_fields(kind, channel, context, language, body):
    """What an outbox row of `channel` holds: for SMS and WhatsApp the template's values
    and its text filled in (exactly what the phone shows); for SMS a value over DLT's 30
    characters writes the row failed, with the reason, instead of sending a text the
    operator would drop. Email and in-app keep `body` as rendered."""
    if channel not in PHONE_CHANNELS or kind not in REGISTRY:
        return {"body": body}
    values = variables_for(kind, {"link": LINK, **context}, language)
    fields = {"variables": values, "body": text_for(kind, language, values)}
    if channel == "sms":
        try:
            check_lengths(kind, values)
        except VariableTooLong as exc:
            fields.update(status="failed", reason="variable_too_long", last_error=str(exc))
    return fields
