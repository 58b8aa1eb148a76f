"""Form widgets shared by the apps."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class FastSelect(forms.Select):
    """A select with the same markup as Django's select.html, built in Python: the per-option template
    include cost more than the rest of a form once a select holds hundreds or thousands of options
    (a county officer's person picker; a national reader's unit filter, issue 10)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join("", '<option value="{}"{}>{}</option>', ((o["value"], flatatt(o["attrs"]), o["label"]) for o in options))
            groups.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, html) if group_name else html)
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), format_html_join("", "{}", ((g,) for g in groups)))
