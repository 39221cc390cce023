from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.demo import DEMO_USERS, demo_seed


class Command(BaseCommand):
    help = (
        "Load the demo (DESIGN §1) and one user per role, all with the given password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", required=True)
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off."
        )

    def handle(self, *args, password: str, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates users with a known password; it refuses to run "
                "with DEBUG off. Add --force if this really is a demo server."
            )
        demo_seed(password=password)
        self.stdout.write("Demo loaded. Sign in at /admin/ as:")
        for username, role, _fields in DEMO_USERS:
            self.stdout.write(f"  {username:<10} ({role}) password: {password}")
