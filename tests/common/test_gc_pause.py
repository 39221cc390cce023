"""common.gc_pause: the collector is paused inside and as it was afterwards."""

import gc

import pytest

from common.gc_pause import gc_paused


def test_paused_inside_and_enabled_again_after_an_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("the import failed")
    assert gc.isenabled()


def test_a_nested_pause_leaves_the_outer_one_paused():
    @gc_paused()
    def inner():
        return gc.isenabled()

    with gc_paused():
        assert inner() is False
        assert not gc.isenabled()
    assert gc.isenabled()


def test_left_disabled_when_it_was_disabled_before():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
