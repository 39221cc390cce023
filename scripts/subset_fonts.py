"""Subset the Noto fonts Suksa ships to Lao + Latin, for the web (WOFF2) and PDFs (TTF).

Lao readers are mostly on cheap phones on slow networks, so the site serves small
font files: each Noto font is cut down to Basic Latin, Latin-1, general punctuation,
the kip sign, the dotted circle and the Lao block. Every OpenType layout feature
(GSUB, GPOS, GDEF: ``ccmp``, ``mark``, ``mkmk``, ...) is kept, because Lao vowels and
tone marks only stack correctly with them; hinting is dropped. The name table is
kept whole, so the copyright and licence stay inside each file.

Writes, for each source font, ``static/fonts/<Name>.subset.woff2`` (served by
static/css/site.css) and ``static/fonts/<Name>.subset.ttf`` (for WeasyPrint PDFs).

Run from the project root:  .venv/bin/python scripts/subset_fonts.py
Sources come from Debian's fonts-noto-core; see static/fonts/README.md.
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = Path("/usr/share/fonts/truetype/noto")
OUTPUT_DIR = ROOT / "static" / "fonts"

FONTS = [
    "NotoSans-Regular",
    "NotoSans-Bold",
    "NotoSansLao-Regular",
    "NotoSansLao-Bold",
    "NotoSerif-Regular",
    "NotoSerif-Bold",
    "NotoSerifLao-Regular",
    "NotoSerifLao-Bold",
]

# (first, last) code points, inclusive. Keep in step with unicode-range in site.css.
UNICODE_RANGES = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x2000, 0x206F),  # General Punctuation (incl. ZWSP/ZWNJ/ZWJ)
    (0x20AD, 0x20AD),  # KIP SIGN
    (0x25CC, 0x25CC),  # DOTTED CIRCLE (shown for a mark with no base)
    (0x0E80, 0x0EFF),  # Lao
]


def subset_options(flavor: str | None) -> subset.Options:
    options = subset.Options()
    options.layout_features = ["*"]  # every GSUB/GPOS feature; GDEF is kept with them
    options.layout_scripts = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.hinting = False
    options.notdef_outline = True
    options.glyph_names = False
    options.flavor = flavor
    return options


def make_subset(source: Path, target: Path, flavor: str | None) -> None:
    options = subset_options(flavor)
    # Keep the source's timestamp so a re-run gives byte-identical files.
    font = TTFont(source, lazy=False, recalcTimestamp=False)
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(
        unicodes=[cp for first, last in UNICODE_RANGES for cp in range(first, last + 1)]
    )
    subsetter.subset(font)
    missing = {"GDEF", "GSUB", "GPOS"} - set(font.keys())
    if missing:
        dropped = ", ".join(sorted(missing))
        raise SystemExit(f"{target.name}: subsetting dropped {dropped}")
    font.flavor = flavor
    font.save(target)
    font.close()


def main() -> int:
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    for name in FONTS:
        source = SOURCE_DIR / f"{name}.ttf"
        if not source.exists():
            print(f"{source}: not found (apt install fonts-noto-core)", file=sys.stderr)
            return 1
        for suffix, flavor in ((".subset.woff2", "woff2"), (".subset.ttf", None)):
            target = OUTPUT_DIR / f"{name}{suffix}"
            make_subset(source, target, flavor)
            print(
                f"{target.relative_to(ROOT)}: {target.stat().st_size:,} bytes"
                f" (from {source.stat().st_size:,})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
