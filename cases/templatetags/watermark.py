"""``{% view_watermark %}``: the viewer's name, unit and the time tiled faintly over a page that shows
record content (cases.watermark); ``{% document_signature_note %}``: the line under an issued
document's download link saying it carries the system's SM2 signature, with the key's fingerprint."""

from django import template
from django.utils import timezone

from cases.signing import SigningKeyError, format_fingerprint, signing_key
from cases.watermark import Watermark

register = template.Library()


@register.inclusion_tag("cases/partials/watermark.html", takes_context=True)
def view_watermark(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"mark": None}
    return {"mark": Watermark.for_user(user, timezone.now())}


@register.inclusion_tag("cases/partials/signature_note.html")
def document_signature_note():
    try:
        fingerprint = format_fingerprint(signing_key().fingerprint)
    except SigningKeyError:
        fingerprint = ""
    return {"fingerprint": fingerprint}
