"""Signals trainings sends for what ``post_save`` does not say."""

from django.dispatch import Signal

# Sent with ``people`` (ids) after a bulk write changed whether or how people count
# as trained: completion of a session, people's details from an imported sheet.
# ``bulk_update`` sends no ``post_save``; the reports' tables listen to this instead.
people_trained_changed = Signal()
