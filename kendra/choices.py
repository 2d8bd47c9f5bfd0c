"""The fixed lists Kendra's records choose from: roles, genders, languages, substances,
weekdays and message channels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNSELOR = "counselor", _("Counselor")
    PEER_LEADER = "peer_leader", _("Peer leader")
    MENTOR = "mentor", _("Mentor")
    ALUMNI_COORDINATOR = "alumni_coordinator", _("Alumni coordinator")
    FAMILY_MEMBER = "family_member", _("Family member")
    CENTRE_ADMIN = "centre_admin", _("Centre admin")


class DischargeReason(models.TextChoices):
    COMPLETED = "completed", _("Completed the programme")
    AGAINST_ADVICE = "against_advice", _("Left against advice")
    TRANSFERRED = "transferred", _("Transferred")
    READMITTED = "readmitted", _("Readmitted")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    HINDI = "hi", _("Hindi")
    ENGLISH = "en", _("English")
    PUNJABI = "pa", _("Punjabi")
    URDU = "ur", _("Urdu")
    BENGALI = "bn", _("Bengali")
    MARATHI = "mr", _("Marathi")
    GUJARATI = "gu", _("Gujarati")
    RAJASTHANI = "raj", _("Rajasthani")
    BHOJPURI = "bho", _("Bhojpuri")


class Substance(models.TextChoices):
    ALCOHOL = "alcohol", _("Alcohol")
    OPIOIDS = "opioids", _("Opioids (heroin, smack, opium)")
    CANNABIS = "cannabis", _("Cannabis (ganja, charas, bhang)")
    PRESCRIPTION = "prescription", _("Prescription drugs")
    TOBACCO = "tobacco", _("Tobacco")
    INHALANTS = "inhalants", _("Inhalants")
    STIMULANTS = "stimulants", _("Stimulants")
    OTHER = "other", _("Other")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class MessageChannel(models.TextChoices):
    """How a person prefers Kendra's messages (resident, family member, staff): blank is
    Kendra's own choice for each message (SMS to a phone, or in Kendra)."""

    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")


def message_channel_error(channel, phone, email=None):
    """Why a person cannot be sent messages on `channel` (their record's preference), or
    "" (`email` None: not known here, not checked)."""
    if channel == MessageChannel.WHATSAPP and not phone:
        return _("WhatsApp needs a mobile number. Add the number, or choose another way.")
    if channel == MessageChannel.SMS and not phone:
        return _("SMS needs a mobile number. Add the number, or choose another way.")
    if channel == MessageChannel.EMAIL and email is not None and not email:
        return _("Email needs an email address. Add the address, or choose another way.")
    return ""
