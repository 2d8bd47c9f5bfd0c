"""What messages and calendars call a centre: never its full name.

A centre's name ("… Nasha Mukti Kendra") on a phone's lock screen or in a shared family
calendar tells everyone who sees it that someone is in treatment. SMS, emails, invitations
and calendar events use the centre's "name shown in messages" (Centre.name_in_messages,
a centre setting) or, by default, the word "Kendra" and the city.
"""


def name_in_messages(centre):
    named = getattr(centre, "name_in_messages", None)  # the centre setting, where it exists
    if named:
        return named
    return " ".join(filter(None, ["Kendra", getattr(centre, "city", "")]))
