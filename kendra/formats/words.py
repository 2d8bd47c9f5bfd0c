"""Date words as Indian readers expect them.

Django's own Hindi catalogue spells November "नवमबर" and turns both a.m. and p.m. into
"बजे", so 5:30 in the morning and 5:30 in the evening read the same. Our catalogue wins
over Django's (LOCALE_PATHS), and listing the words here keeps them in it.
"""

from django.utils.translation import gettext_noop

WORDS = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
    gettext_noop("a.m."),
    gettext_noop("p.m."),
]
