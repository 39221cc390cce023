"""The reports' figures kept in the cache, under the data version.

Counting distinct people over all time reads close to a million fact rows; managers
look far more often than the data changes. So the selectors of ``reports.selectors``
that read the facts (people trained, their breakdowns, the ToT cascade,
certificates) keep what they computed in the cache, under a key made of:

- the data version (``reports.facts.facts_version``), which every write to the
  facts replaces in its own transaction: a figure computed before a write is never
  read after it, not even for a moment (the version is read first, in the reader's
  transaction);
- the database, the figure and its arguments, and every filter, the user's scope
  included (a district officer's filters name their district; a trainer's, scoped
  to their own sessions, are never cached: computed on demand).

After a commit that changed the facts, ``reports.tasks.figures_warm`` recomputes
the common views (``common_filters``) under the new version, so the pages that
managers open are read from the cache; any other view is computed on demand the
first time. The cache is Django's ``reports`` cache (``SUKSA_REPORTS_CACHE_URL``,
by default Redis when Celery's broker is Redis, shared by every process); when it
fails, figures are computed as if nothing were cached.
"""

import contextvars
import hashlib
import logging
from collections.abc import Callable
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import caches
from django.db import connection

from .facts import FACTS, OUTREACH, facts_versions, figures_cached_in_transaction
from .filters import ReportFilters

logger = logging.getLogger(__name__)

_MISSING = object()
_UNCACHED = contextvars.ContextVar("reports_figures_uncached", default=False)
_VERSIONS = contextvars.ContextVar("reports_figures_versions", default=None)


@contextmanager
def one_version():
    """Within: the data version is read once (every part in one query), so one
    page's figures are all of the moment it was asked for."""
    token = _VERSIONS.set({})
    try:
        yield
    finally:
        _VERSIONS.reset(token)


def _version(reads) -> str | None:
    memo = _VERSIONS.get()
    if memo is None:
        return facts_versions(reads)
    if "all" not in memo:
        memo["all"] = facts_versions((FACTS, OUTREACH))
    if memo["all"] is None:
        return None
    keys = dict(zip((FACTS, OUTREACH), memo["all"].split("-"), strict=True))
    return "-".join(keys[part] for part in reads)


@contextmanager
def uncached():
    """Figures computed, neither read from the cache nor kept there (the
    benchmark's measure of what a figure costs to compute)."""
    token = _UNCACHED.set(True)
    try:
        yield
    finally:
        _UNCACHED.reset(token)


def _cache():
    return caches["reports" if "reports" in settings.CACHES else "default"]


def _pk(value) -> object:
    return getattr(value, "pk", value)


def filters_key(filters: ReportFilters) -> str | None:
    """Every filter and the scope as text; None when the figure is not cached (a
    trainer's own sessions)."""
    if filters.sessions is not None:
        return None
    return "|".join(
        str(part)
        for part in (
            filters.date_from,
            filters.date_to,
            _pk(filters.province),
            _pk(filters.district),
            _pk(filters.course),
            filters.course_kind,
            filters.organisation_kind,
            _pk(filters.partner),
            filters.kind,
            _pk(filters.campaign),
            _pk(filters.funder),
            _pk(filters.project),
            _pk(filters.session),
            filters.sees_nothing,
        )
    )


def figure_key(name: str, filters: ReportFilters, *args, reads=(FACTS,)) -> str | None:
    """The cache key of a figure under the current version of the data it
    ``reads`` (None: not cached)."""
    scope = filters_key(filters)
    if scope is None:
        return None
    version = _version(reads)
    if version is None:
        return None
    raw = "\n".join(
        [connection.settings_dict["NAME"] or "", version, name, repr(args), scope]
    )
    return "suksa:reports:" + hashlib.sha256(raw.encode()).hexdigest()


def figure_cached(
    name: str, filters: ReportFilters, compute: Callable, *args, reads=(FACTS,)
):
    """``compute()``'s value for this figure, filters and version: from the cache,
    or computed and kept there."""
    key = None if _UNCACHED.get() else figure_key(name, filters, *args, reads=reads)
    if key is None:
        return compute()
    cache = _cache()
    try:
        value = cache.get(key, _MISSING)
    except Exception:  # the cache is down: compute as if nothing were cached
        logger.warning("Reports cache unavailable", exc_info=True)
        return compute()
    if value is _MISSING:
        value = compute()
        figures_cached_in_transaction()
        try:
            cache.set(key, value, settings.SUKSA_REPORTS_CACHE_SECONDS)
        except Exception:
            logger.warning("Reports cache unavailable", exc_info=True)
    return value
