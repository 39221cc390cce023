"""Signals people sends so that apps above it (certificates, reports) take part in a
person's rights over their data without ``people`` importing them."""

from dataclasses import dataclass

from django.dispatch import Signal

# Arguments: person. Each receiver returns the sections of the person's data copy it
# holds, as a dict (``{"certificates": [...]}``).
person_data_requested = Signal()

# Arguments: person, by. Sent inside the erasing transaction, after the person's own
# fields are blanked; each receiver removes the person from what its app holds and
# returns an ``ErasedElsewhere`` (or None).
person_erasing = Signal()


@dataclass(frozen=True)
class ErasedElsewhere:
    """What a receiver of ``person_erasing`` did: the person's records it holds
    (their field history is erased with the person's) and a line for the audit."""

    records: tuple = ()
    summary: str = ""
