"""Check or rebuild the reports' facts (``reports.TrainedFact``)."""

from django.core.management.base import BaseCommand, CommandError

from reports.facts import facts_differences, facts_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the table the reports count people trained from, or with --check "
        "only compare it with the enrolments."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compare only; exit with an error when a row differs.",
        )

    def handle(self, *args, check=False, **options):
        if check:
            differences = facts_differences()
            if differences:
                raise CommandError(
                    f"{len(differences)} row(s) differ from the enrolments; "
                    "run manage.py reports_facts to rebuild."
                )
            self.stdout.write("The reports' facts match the enrolments.")
            return
        count = facts_rebuild()
        self.stdout.write(f"Rebuilt {count} row(s) of the reports' facts.")
