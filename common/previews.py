"""Uploads waiting between an import's preview and its confirmation.

The previewed file stays on the server (it never goes back through the browser) under
a random token kept in the user's session, with a scope (the session or the kind of
list being imported) that the confirmation must match. Unconfirmed previews hold
personal data, so previews older than a day are removed whenever a new one is kept.
"""

import datetime
import uuid
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

PREVIEW_LIFETIME = datetime.timedelta(days=1)


def preview_keep(
    request, *, folder: str, session_key: str, scope, content: bytes, filename: str
) -> str:
    """Store ``content`` until confirmation; the token to confirm it with."""
    previews_purge(folder=folder)
    token = uuid.uuid4().hex
    suffix = PurePath(filename).suffix.lower()
    default_storage.save(f"{folder}/{token}{suffix}", ContentFile(content))
    pending = request.session.setdefault(session_key, {})
    pending[token] = {"scope": scope, "suffix": suffix}
    request.session.modified = True
    return token


def preview_take(
    request, *, folder: str, session_key: str, scope
) -> tuple[bytes, str] | None:
    """The kept file for the token in the POST, removed from storage; ``None`` when it
    expired, was already taken, or belongs to another scope."""
    token = request.POST.get("token", "")
    pending = request.session.get(session_key, {}).pop(token, None)
    request.session.modified = True
    if not pending or pending["scope"] != scope:
        return None
    name = f"{folder}/{token}{pending['suffix']}"
    try:
        with default_storage.open(name) as stored:
            content = stored.read()
    except FileNotFoundError:
        return None
    default_storage.delete(name)
    return content, name


def previews_purge(*, folder: str) -> None:
    """Remove previews never confirmed within PREVIEW_LIFETIME."""
    cutoff = timezone.now() - PREVIEW_LIFETIME
    try:
        _directories, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        path = f"{folder}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
