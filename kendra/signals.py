"""Signals the core sends so apps can react without kendra importing them."""

from django.dispatch import Signal

# Sent after a resident is discharged, inside the same transaction.
# Arguments: resident, by (the user who discharged).
resident_discharged = Signal()
