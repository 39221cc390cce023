"""Turning service errors into API answers."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings


@contextmanager
def service_errors() -> Iterator[None]:
    """A service's ValidationError becomes a 400 answer carrying its messages."""
    try:
        yield
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict"):
            raise ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
            ) from error
        raise ValidationError(
            {
                api_settings.NON_FIELD_ERRORS_KEY
                if name == NON_FIELD_ERRORS
                else name: (messages)
                for name, messages in error.message_dict.items()
            }
        ) from error
