"""Python's cyclic garbage collector, paused for a bulk operation.

An import builds tens of thousands of objects (model instances, field-history
entries) that all stay alive until it ends; each full collection the allocations
trigger walks every one of them again, for nothing to free. Paused, the collector
runs once when the operation ends (on its next trigger) instead; reference counting
still frees everything as usual meanwhile.
"""

import contextlib
import gc


@contextlib.contextmanager
def gc_paused():
    """Use as ``with gc_paused():`` or as a decorator; nested uses are fine."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
