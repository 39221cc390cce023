"""Compile every locale*/*/LC_MESSAGES/*.po to .mo without needing GNU gettext.

Covers our catalogue (locale/) and the Wagtail/Django admin one (locale_wagtail/).
Run by ``make``; skips a catalogue whose .mo is newer than its .po. Fails on a catalogue
that does not parse, naming it.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    compiled = 0
    for po_path in sorted(ROOT.glob("locale*/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        try:
            catalogue = polib.pofile(str(po_path), check_for_duplicates=True)
        except (OSError, ValueError) as error:
            print(f"{po_path.relative_to(ROOT)}: {error}", file=sys.stderr)
            return 1
        catalogue.save_as_mofile(str(mo_path))
        compiled += 1
    print(f"Translations: {compiled} catalogue(s) compiled.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
