"""{% load phones %} … {{ resident.phone|phone }}: a stored E.164 number in national format."""

from django import template

from kendra import phones

register = template.Library()


@register.filter(name="phone")
def phone(value):
    return phones.national(value)
