"""Bar charts drawn on the server as inline SVG: no script, no external host.

Each bar is one row of a breakdown, split by gender; the label sits above its bar so
the chart stays readable on a narrow phone screen. The table beside the chart carries
the exact numbers.
"""

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from people.counts import GenderCounts

# Colours with enough contrast against white and between each other.
GENDER_COLOURS = {
    "women": "#b8336a",
    "men": "#1f5fa8",
    "other": "#7a6a00",
    "not_recorded": "#6b6b6b",
}
WIDTH = 320
BAR_HEIGHT = 14
ROW_HEIGHT = 36
LEGEND_HEIGHT = 24


def gender_labels() -> dict[str, str]:
    return {
        "women": _("Women"),
        "men": _("Men"),
        "other": _("Other"),
        "not_recorded": _("Not recorded"),
    }


def _legend() -> str:
    parts, x = [], 0
    for bucket, label in gender_labels().items():
        parts.append(
            format_html(
                '<rect x="{}" y="4" width="10" height="10" fill="{}"/>'
                '<text x="{}" y="13" font-size="10">{}</text>',
                x,
                GENDER_COLOURS[bucket],
                x + 13,
                label,
            )
        )
        x += 13 + 7 * len(label) + 10
    return "".join(parts)


def _bar(y: int, counts: GenderCounts, scale: float) -> str:
    parts, x = [], 0.0
    for bucket in GENDER_COLOURS:
        value = getattr(counts, bucket)
        if not value:
            continue
        width = value * scale
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                f"{x:.1f}",
                y,
                f"{width:.1f}",
                BAR_HEIGHT,
                GENDER_COLOURS[bucket],
            )
        )
        x += width
    return "".join(parts)


def bar_chart(*, title: str, rows, value_format=str) -> SafeString:
    """A horizontal stacked bar chart of ``rows`` (objects with ``label`` and
    ``counts``); an empty string when there is nothing to draw."""
    rows = [row for row in rows if row.counts.total]
    if not rows:
        return mark_safe("")
    largest = max(row.counts.total for row in rows)
    number_room = 40
    scale = (WIDTH - number_room) / largest
    body = []
    for index, row in enumerate(rows):
        top = LEGEND_HEIGHT + index * ROW_HEIGHT
        body.append(
            format_html(
                '<text x="0" y="{}" font-size="11">{}</text>',
                top + 11,
                row.label,
            )
        )
        body.append(mark_safe(_bar(top + 15, row.counts, scale)))
        body.append(
            format_html(
                '<text x="{}" y="{}" font-size="11">{}</text>',
                f"{row.counts.total * scale + 4:.1f}",
                top + 26,
                value_format(row.counts.total),
            )
        )
    height = LEGEND_HEIGHT + len(rows) * ROW_HEIGHT
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="suksa-chart" role="img" '
        'font-family="Suksa Sans, Suksa Sans Lao, Noto Sans Lao, sans-serif" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{_legend()}{''.join(body)}</svg>"
    )


def value_chart(*, title: str, rows, value_format=str) -> SafeString:
    """A horizontal bar chart of plain values: ``rows`` are (label, value) pairs."""
    rows = [(label, value) for label, value in rows if value]
    if not rows:
        return mark_safe("")
    largest = max(value for _label, value in rows)
    scale = (WIDTH - 40) / largest
    body = []
    for index, (label, value) in enumerate(rows):
        top = index * ROW_HEIGHT
        body.append(
            format_html(
                '<text x="0" y="{}" font-size="11">{}</text>'
                '<rect x="0" y="{}" width="{}" height="{}" fill="#1f5fa8"/>'
                '<text x="{}" y="{}" font-size="11">{}</text>',
                top + 11,
                label,
                top + 15,
                f"{value * scale:.1f}",
                BAR_HEIGHT,
                f"{value * scale + 4:.1f}",
                top + 26,
                value_format(value),
            )
        )
    height = len(rows) * ROW_HEIGHT
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="suksa-chart" role="img" '
        'font-family="Suksa Sans, Suksa Sans Lao, Noto Sans Lao, sans-serif" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


# Charts for PDFs ----------------------------------------------------------------------
# WeasyPrint draws SVG text one character at a time, so a Lao vowel or tone mark is
# shaped apart from its consonant and printed on a dotted circle in a fallback font.
# The PDF draws the same charts in HTML, whose text WeasyPrint shapes as a whole
# with the document's fonts (templates/pdf/fonts.html).


def _html_bar(segments) -> str:
    """One bar of (share of the widest bar in %, colour) segments, then its value."""
    return "".join(
        format_html(
            '<span class="pdf-chart__segment" style="width: {}%; background: {}">'
            "</span>",
            f"{share:.2f}",
            colour,
        )
        for share, colour in segments
        if share
    )


def _html_chart(title: str, legend: str, lines: list[str]) -> SafeString:
    return format_html(
        '<div class="pdf-chart" role="img" aria-label="{}">{}{}</div>',
        title,
        mark_safe(legend),
        mark_safe("".join(lines)),
    )


def _html_line(label: str, bar: str, value: str) -> str:
    return format_html(
        '<div class="pdf-chart__row"><div class="pdf-chart__label">{}</div>'
        '<div class="pdf-chart__bar">{}<span class="pdf-chart__value">{}</span>'
        "</div></div>",
        label,
        mark_safe(bar),
        value,
    )


# The bars take this share of the line; the value is written after them.
BAR_ROOM = 85


def bar_chart_html(*, title: str, rows, value_format=str) -> SafeString:
    """``bar_chart`` in HTML, for PDFs."""
    rows = [row for row in rows if row.counts.total]
    if not rows:
        return mark_safe("")
    largest = max(row.counts.total for row in rows)
    legend = format_html(
        '<div class="pdf-chart__legend">{}</div>',
        mark_safe(
            "".join(
                format_html(
                    '<span class="pdf-chart__key"><span class="pdf-chart__swatch" '
                    'style="background: {}"></span>{}</span>',
                    GENDER_COLOURS[bucket],
                    label,
                )
                for bucket, label in gender_labels().items()
            )
        ),
    )
    lines = [
        _html_line(
            row.label,
            _html_bar(
                (
                    BAR_ROOM * getattr(row.counts, bucket) / largest,
                    GENDER_COLOURS[bucket],
                )
                for bucket in GENDER_COLOURS
            ),
            value_format(row.counts.total),
        )
        for row in rows
    ]
    return _html_chart(title, legend, lines)


def value_chart_html(*, title: str, rows, value_format=str) -> SafeString:
    """``value_chart`` in HTML, for PDFs."""
    rows = [(label, value) for label, value in rows if value]
    if not rows:
        return mark_safe("")
    largest = max(value for _label, value in rows)
    lines = [
        _html_line(
            label,
            _html_bar([(BAR_ROOM * value / largest, "#1f5fa8")]),
            value_format(value),
        )
        for label, value in rows
    ]
    return _html_chart(title, "", lines)
