"""Form widgets shared by the apps."""

from typing import Any

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def _attributes(attrs: dict[str, Any]) -> str:
    """As django/forms/widgets/attrs.html writes them: False left out, True bare."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class LongSelect(forms.Select):
    """A <select> written as Django's select template writes it, without a template per option:
    the results pages' lists of classes and sessions (a hundred options each) took 10 ms to
    render through templates, against a tenth of a millisecond here."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        name_attribute = conditional_escape(widget["name"])
        html = [f'<select name="{name_attribute}"{_attributes(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            html.extend(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                f"{_attributes(option['attrs'])}>{conditional_escape(option['label'])}</option>"
                for option in options
            )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308 — every value above is escaped
