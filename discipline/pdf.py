"""PDF rendering with WeasyPrint (official-document layout for notice letters and special reports).

Fonts are the system's Noto CJK fonts (Debian fonts-noto-cjk) found through fontconfig: no font
URLs, nothing fetched. Debian's libharfbuzz-subset0 keeps the embedded fonts small and fast."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported lazily: it loads native libraries

    # Official documents are Chinese whatever language the requester reads the site in.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, context)
    # base_url None and no url_fetcher access: templates reference no external resources.
    return HTML(string=html, base_url=None).write_pdf()
