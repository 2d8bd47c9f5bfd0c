"""Signals the core sends so apps can react without kendra importing them."""

from django.dispatch import Signal

# Sent after a resident is discharged, inside the same transaction.
# Arguments: resident, by (the user who discharged).
resident_discharged = Signal()

# Sent after residents are admitted or readmitted (a new stay opened), inside the same
# transaction, so that apps set up what a resident needs from the first day: the checkins
# app makes the check-in plan from the centre defaults. Arguments: residents (a list:
# the import admits many at once), by (the user who admitted), readmitted (bool).
resident_admitted = Signal()

# Sent after a discharged resident or alumnus is admitted again (after resident_admitted),
# so that apps close what belonged to the last stay: the alumni app records the relapse
# and ends the open follow-ups. Arguments: resident, stay (the new one), last_stay, by.
resident_readmitted = Signal()

# Sent after a membership is ended (made inactive), inside the same transaction, so that
# apps end what hangs on it: the mentors app ends the person's pairings, the rota app
# their duty shifts. Arguments: membership, by (the user who ended it), note.
membership_ended = Signal()

# Sent after a person is erased (kendra/erasure.py), inside the same transaction, so
# that apps remove what the walk from the resident cannot reach: the families app
# deletes the calendar feeds of family accounts linked to nobody else.
# Arguments: resident, by (the admin who confirmed).
resident_erased = Signal()

# Sent after a consent is withdrawn (Consent.withdraw), inside the caller's transaction,
# so that apps end what hangs on it: the mentors app ends the pairings of an alumnus who
# no longer wants to be contacted, the alumni app unpublishes a story and tells the
# coordinators. Arguments: consent, by (the user who recorded the withdrawal).
consent_withdrawn = Signal()
