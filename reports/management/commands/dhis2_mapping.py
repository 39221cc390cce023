"""Check the DHIS2 mapping and print how DHIS2 imports its files."""

from urllib.parse import urlencode

from django.core.management.base import BaseCommand, CommandError

from places.models import District
from reports.dhis2 import FORMATS, Dhis2MappingError, dhis2_mapping


class Command(BaseCommand):
    help = (
        "Check SUKSA_DHIS2_MAPPING: say every mistake, the districts without an "
        "organisation unit, and the query of POST /api/dataValueSets for each format."
    )

    def handle(self, *args, **options):
        try:
            mapping = dhis2_mapping()
        except Dhis2MappingError as error:
            raise CommandError(
                "The DHIS2 mapping is wrong:\n- " + "\n- ".join(error.errors)
            ) from error
        self.stdout.write("The DHIS2 mapping is valid.")
        districts = District.objects.order_by("code").values_list("code", "name_en")
        unmapped = [
            f"{code} {name}"
            for code, name in districts
            if mapping.org_unit(code) is None
        ]
        if unmapped:
            self.stdout.write(
                f"{len(unmapped)} district(s) have no organisation unit and are left "
                "out of the files:\n  " + "\n  ".join(unmapped)
            )
        for fmt in FORMATS:
            if fmt == "adx" and mapping.adx_errors():
                self.stdout.write("adx: " + "; ".join(mapping.adx_errors()))
                continue
            query = urlencode(mapping.import_parameters(fmt))
            self.stdout.write(f"{fmt}: POST /api/dataValueSets?{query}")
