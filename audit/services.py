"""Writing the audit trail. Every other app calls ``audit_record``; nothing else writes.

Background work names itself with ``audit_actor("certificate job", user)``; events
recorded inside it say "system: certificate job" and, when the work was asked for by a
user, keep that user as well. Field history (``audit.history``) is kept beside it.
"""

import contextlib
import contextvars
import logging

from django.db import models

from common.network import client_address

from .models import AuditEvent

logger = logging.getLogger(__name__)

_system_actor: contextvars.ContextVar[str] = contextvars.ContextVar(
    "audit_system_actor", default=""
)


@contextlib.contextmanager
def audit_actor(name: str, user=None):
    """Record events inside this block as done by the background job ``name``; the
    field history names ``user``, who asked for the job, and the job."""
    from .history import history_actor

    token = _system_actor.set(name)
    try:
        with history_actor(user, job=name):
            yield
    finally:
        _system_actor.reset(token)


def _who(user) -> tuple[object | None, str]:
    system = _system_actor.get()
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if system:
        return user, f"system: {system}"
    if user is None:
        return None, "anonymous"
    return user, user.get_username()


def audit_record(
    *,
    action: str,
    user=None,
    request=None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    summary: str = "",
) -> AuditEvent:
    """Record one event. ``summary`` must not contain names or phone numbers.

    Called with neither ``user`` nor ``request``, inside a request, the event names
    the request's user (an API token's user included)."""
    if user is None and request is None:
        from .history import current_request

        request = current_request()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    user, actor = _who(user)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    return AuditEvent.objects.create(
        user=user,
        actor=actor[:150],
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        summary=summary[:255],
        address=client_address(request)[:45] if request is not None else "",
    )


def audit_login(*, action: str, request, identifier: str, user=None) -> AuditEvent:
    """A sign-in event; the user is named only when the typed name is an account."""
    from django.contrib.auth import get_user_model

    if user is None:
        User = get_user_model()
        field = f"{User.USERNAME_FIELD}__iexact"
        user = User.objects.filter(**{field: identifier}).first()
    return audit_record(action=action, user=user, request=request)
