import segno
from django import template
from django.utils.safestring import mark_safe

from common.pdf import static_path

register = template.Library()


@register.simple_tag
def static_file(name: str) -> str:
    return static_path(name)


@register.simple_tag
def qr_svg(data: str, scale: int = 3) -> str:
    """An inline SVG QR code (segno), no image files or remote services."""
    return mark_safe(segno.make(data, error="m").svg_inline(scale=scale, border=1))
