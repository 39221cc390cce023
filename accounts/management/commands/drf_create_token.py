"""``manage.py drf_create_token USER`` (a stable contract): prints a new API token.

The token is hashed at rest and expires after SUKSA_API_TOKEN_DAYS. A user with
two-step sign-in gets one only with a current code from their app (``--code``).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.tokens import (
    token_create,
    token_needs_second_factor,
    tokens_revoke_all,
)
from accounts.two_factor import two_factor_verify


class Command(BaseCommand):
    help = "Create an API token for a user and print it (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="drf_create_token")
        parser.add_argument(
            "--code", default="", help="a code from the user's authenticator app"
        )
        # As DRF's command: replace the user's tokens. Without it, every call makes
        # one more token (an old one cannot be shown again: only its hash is kept).
        parser.add_argument(
            "-r", "--reset", action="store_true", help="revoke the user's other tokens"
        )

    def handle(self, *args, username, name, code, reset, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        second_factor = False
        try:
            if token_needs_second_factor(user) and code:
                two_factor_verify(user=user, code=code)
                second_factor = True
            with transaction.atomic():
                if reset:
                    tokens_revoke_all(user=user)
                _token, key = token_create(
                    user=user, name=name, second_factor=second_factor
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Generated token {key} for user {username}")
