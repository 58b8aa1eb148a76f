"""Form widgets shared by the apps."""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A select with the same markup as Django's select.html, built in Python: the per-option template
    include cost more than the rest of a form once a select holds hundreds or thousands of options
    (a county officer's person picker; a national reader's unit filter, issue 10)."""

    def render(self, name, value, attrs=None, renderer=None):
        if type(self).create_option is forms.Select.create_option and not self.allow_multiple_selected:
            plain = self._render_plain(name, value, attrs)
            if plain is not None:
                return plain
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join("", '<option value="{}"{}>{}</option>', ((o["value"], flatatt(o["attrs"]), o["label"]) for o in options))
            groups.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, html) if group_name else html)
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), format_html_join("", "{}", ((g,) for g in groups)))

    def _render_plain(self, name, value, attrs):
        """Options without groups or per-option attributes, straight from the choices (a unit filter
        of 2,954 units: 170 ms through option dictionaries, a fraction of that here). None when the
        choices have groups, so the general path draws them."""
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(v) for v in self.format_value(value)}
        parts = []
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                return None
            text = "" if option_value is None else str(option_value)
            parts.append(f'<option value="{escape(text)}"{" selected" if text in chosen else ""}>{escape(str(label))}</option>')
        return mark_safe(f"<select{flatatt(final)}>{''.join(parts)}</select>")  # noqa: S308 - every value escaped above
