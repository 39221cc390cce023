"""PDF rendering with WeasyPrint that reads only the project's own files.

WeasyPrint would otherwise follow any URL in a template (file:// anywhere on disk, or
remote hosts). The fetcher below serves only files under the static and media roots.
"""

from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class ForbiddenResource(ValueError):
    pass


def _allowed_roots() -> list[Path]:
    roots = [Path(settings.MEDIA_ROOT), Path(settings.STATIC_ROOT)]
    roots += [Path(directory) for directory in settings.STATICFILES_DIRS]
    return [root.resolve() for root in roots]


def static_path(name: str) -> str:
    """A file:// URL for a static file, for use in PDF templates."""
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(name)
    return Path(found).resolve().as_uri()


class ProjectFilesFetcher(URLFetcher):
    """Fetches data: URLs and files under the static and media roots, nothing else."""

    def __init__(self):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if not any(path.is_relative_to(root) for root in _allowed_roots()):
                raise ForbiddenResource(
                    "PDF may only read the project's static and media files"
                )
        elif parsed.scheme != "data":
            raise ForbiddenResource(f"PDF may not fetch {parsed.scheme} URLs")
        return super().fetch(url, headers)


BASE_URL = Path(settings.BASE_DIR).resolve().as_uri() + "/"


def render_pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=ProjectFilesFetcher())
    return document.write_pdf(full_fonts=True)
