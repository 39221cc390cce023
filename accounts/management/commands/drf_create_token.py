"""``manage.py drf_create_token USER`` (a stable contract): prints a new API token.

The token is hashed at rest and expires after SUKSA_API_TOKEN_DAYS. A user with
two-step sign-in gets one only with a current code from their app (``--code``).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.tokens import token_create, token_needs_second_factor
from accounts.two_factor import two_factor_verify


class Command(BaseCommand):
    help = "Create an API token for a user and print it (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="drf_create_token")
        parser.add_argument(
            "--code", default="", help="a code from the user's authenticator app"
        )
        # Accepted for compatibility with DRF's command: every call makes a new
        # token (the old one cannot be shown again: only its hash is kept).
        parser.add_argument("-r", "--reset", action="store_true")

    def handle(self, *args, username, name, code, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        second_factor = False
        try:
            if token_needs_second_factor(user) and code:
                two_factor_verify(user=user, code=code)
                second_factor = True
            _token, key = token_create(
                user=user, name=name, second_factor=second_factor
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Generated token {key} for user {username}")
