"""Sent inside the approving transaction, so that apps above this one (the log and the
audit trail, in ``reports``) record approvals without ``periods`` importing them."""

from django.dispatch import Signal

# Arguments: approval, by.
period_approved = Signal()
# Arguments: approval, by, reason.
period_unapproved = Signal()
