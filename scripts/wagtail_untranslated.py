"""List the Wagtail, Django and django-filter strings still without a Lao translation.

Wagtail ships no Lao catalogue; Suksa keeps its own, locale_wagtail/lo/LC_MESSAGES/
(django.po and djangojs.po), apart from our strings in locale/. After upgrading
Wagtail (or Django, or django-filter), run

    .venv/bin/python scripts/wagtail_untranslated.py            # the list, by package
    .venv/bin/python scripts/wagtail_untranslated.py --summary  # counts only
    .venv/bin/python scripts/wagtail_untranslated.py --po /tmp/new.po

The strings are read from the catalogues the installed packages ship (English where
there is one, else the first language found: every catalogue lists every msgid). A
string counts as translated when locale_wagtail/ or locale/ has a Lao msgstr for it
(same msgctxt). ``--po`` writes the missing ones as an empty catalogue, msgctxt and
plural forms as in the source, to translate and then append to
locale_wagtail/lo/LC_MESSAGES/<domain>.po. ``--package wagtail/admin`` narrows the
list; ``--stale`` also lists our entries that no installed package uses any more.
"""

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = [ROOT / "locale_wagtail", ROOT / "locale"]
# Besides the installed Wagtail apps: Django's own strings (forms, dates, "x minutes"),
# its authentication (passwords) and django-filter (listing filters).
OTHER_PACKAGES = ["django", "django.contrib.auth", "django_filters"]


@dataclass(frozen=True)
class Source:
    package: str  # e.g. "wagtail/admin"
    domain: str  # "django" or "djangojs"
    entry: polib.POEntry

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.domain, self.entry.msgctxt or "", self.entry.msgid)


def _packages() -> list[tuple[str, Path]]:
    """(name, directory) of each installed package whose strings staff may meet."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django
    from django.apps import apps

    django.setup()
    names = [
        config.name
        for config in apps.get_app_configs()
        if config.name.startswith("wagtail")
    ]
    found = []
    for name in [*names, *OTHER_PACKAGES]:
        module = __import__(name, fromlist=["__file__"])
        directory = Path(module.__file__).parent
        if name == "django":
            directory = directory / "conf"
        found.append((name.replace(".", "/"), directory))
    return found


def _source_catalogues(directory: Path) -> list[Path]:
    locale = directory / "locale"
    if not locale.is_dir():
        return []
    english = sorted((locale / "en" / "LC_MESSAGES").glob("*.po"))
    if english:
        return english
    for language in sorted(locale.iterdir()):
        catalogues = sorted((language / "LC_MESSAGES").glob("*.po"))
        if catalogues:
            return catalogues
    return []


def sources(packages=None) -> list[Source]:
    """Every msgid the installed packages use, once per domain."""
    seen, found = set(), []
    for package, directory in packages if packages is not None else _packages():
        for path in _source_catalogues(directory):
            for entry in polib.pofile(str(path)):
                if entry.obsolete or not entry.msgid:
                    continue
                source = Source(package, path.stem, entry)
                if source.key not in seen:
                    seen.add(source.key)
                    found.append(source)
    return found


def translated(catalogues=CATALOGUES, language: str = "lo") -> set:
    """(domain, msgctxt, msgid) with a Lao translation in our catalogues."""
    keys = set()
    for directory in catalogues:
        for path in sorted((directory / language / "LC_MESSAGES").glob("*.po")):
            for entry in polib.pofile(str(path)):
                done = entry.msgstr or any(entry.msgstr_plural.values())
                if done and not entry.obsolete and "fuzzy" not in entry.flags:
                    keys.add((path.stem, entry.msgctxt or "", entry.msgid))
    return keys


def missing(all_sources, done: set, package: str = "") -> list[Source]:
    return [
        source
        for source in all_sources
        if source.key not in done and source.package.startswith(package)
    ]


def stale(all_sources, catalogue=CATALOGUES[0], language: str = "lo") -> list[str]:
    """Our override entries that no installed package uses any more."""
    used = {source.key for source in all_sources}
    return [
        f"{path.stem}: {entry.msgid}"
        for path in sorted((catalogue / language / "LC_MESSAGES").glob("*.po"))
        for entry in polib.pofile(str(path))
        if (path.stem, entry.msgctxt or "", entry.msgid) not in used
    ]


def write_po(found: list[Source], path: Path) -> None:
    catalogue = polib.POFile(wrapwidth=0)
    catalogue.metadata = {
        "Language": "lo",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    for source in found:
        entry = source.entry
        new = polib.POEntry(
            msgid=entry.msgid,
            msgctxt=entry.msgctxt,
            flags=[flag for flag in entry.flags if flag.endswith("-format")],
            occurrences=[(f"{source.package}/{f}", n) for f, n in entry.occurrences],
            comment=f"domain: {source.domain}",
        )
        if entry.msgid_plural:
            new.msgid_plural = entry.msgid_plural
            new.msgstr_plural = {0: ""}
        catalogue.append(new)
    catalogue.save(str(path))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--package", default="", help="e.g. wagtail/admin")
    parser.add_argument("--summary", action="store_true", help="counts only")
    parser.add_argument("--po", type=Path, help="write the missing strings here")
    parser.add_argument("--stale", action="store_true", help="also unused entries")
    args = parser.parse_args(argv)

    all_sources = sources()
    found = missing(all_sources, translated(), args.package)
    counts: dict[str, list[int]] = {}
    for source in all_sources:
        if source.package.startswith(args.package):
            counts.setdefault(source.package, [0, 0])[0] += 1
    for source in found:
        counts[source.package][1] += 1
    if not args.summary:
        for source in found:
            context = f"[{source.entry.msgctxt}] " if source.entry.msgctxt else ""
            print(f"{source.package} ({source.domain}): {context}{source.entry.msgid}")
    for package, (total, untranslated) in sorted(counts.items()):
        print(f"{package}: {untranslated} of {total} untranslated", file=sys.stderr)
    print(f"Untranslated: {len(found)} string(s).", file=sys.stderr)
    if args.stale:
        for line in stale(all_sources):
            print(f"stale {line}")
    if args.po:
        write_po(found, args.po)
        print(f"Wrote {args.po}.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
