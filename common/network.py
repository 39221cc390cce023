"""The client's address, as far as the reverse proxies in front can be trusted."""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent the request.

    With ``SUKSA_TRUSTED_PROXIES = N`` (N > 0), each of the N proxies appended the
    address it received the request from to ``X-Forwarded-For``, so the client is the
    N-th entry from the right; anything further left was written by the client and is
    not trusted. With 0, the header is ignored: anyone could forge it.
    """
    trusted = settings.SUKSA_TRUSTED_PROXIES
    if trusted > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
        if entries:
            return entries[-trusted] if len(entries) >= trusted else entries[0]
    return request.META.get("REMOTE_ADDR", "")


def rate_exceeded(key: str, *, limit: int, seconds: int = 60) -> bool:
    """Count one more request under ``key`` (cache, so shared by every web process
    when ``CACHE_URL`` is Redis); whether more than ``limit`` came in ``seconds``."""
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count > limit
