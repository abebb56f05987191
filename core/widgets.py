"""Form widgets (and a field) for long lists: a school's classes, its sessions."""

from typing import Any

from django import forms
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

# The templates write values through `stringformat:'s'`, which escapes even a safe string, and
# names and labels as they are, escaped unless marked safe: `escape` and `conditional_escape`.


def _attributes(attrs: dict[str, Any]) -> str:
    """As django/forms/widgets/attrs.html writes them: False left out, True bare."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
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
                f'\n  <option value="{escape(option["value"])}"'
                f"{_attributes(option['attrs'])}>{conditional_escape(option['label'])}</option>"
                for option in options
            )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308 — every value above is escaped


class LongCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Check boxes written as django-dsfr's option template writes them, without a template per
    box: a school's hundred classes took 45 ms to render through templates. Labels with a
    hint (django-dsfr's rich labels) still go through the template. Use it through
    `LongCheckboxesField`, which keeps django-dsfr's field template."""

    # `_render` is where Django renders a widget and each of its options (BoundWidget.tag);
    # django-stubs lacks it.
    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> str:
        option = context["widget"]
        if template_name != self.option_template_name or not isinstance(option["label"], str):
            return super()._render(template_name, context, renderer)  # type: ignore[misc]
        value = "" if option["value"] is None else f' value="{escape(option["value"])}"'
        html = (
            f'<input type="{conditional_escape(option["type"])}"'
            f' name="{conditional_escape(option["name"])}"'
            f"{value}{_attributes(option['attrs'])}>"
        )
        if option["wrap_label"]:
            label_for = option["attrs"].get("id")
            html += (
                '<label class="fr-label"'
                + (f' for="{conditional_escape(label_for)}"' if label_for else "")
                + f">{conditional_escape(option['label'])}</label>"
            )
        if option["attrs"].get("dsfr") == "dsfr":
            html = f'<div class="fr-checkbox-group">{html}</div>'
        return mark_safe(html)  # noqa: S308 — every value above is escaped


class LongCheckboxesField(forms.MultipleChoiceField):
    """A multiple choice shown as LongCheckboxSelectMultiple check boxes. django-dsfr picks a
    field's template by its widget's class name, and would not know this one's."""

    widget = LongCheckboxSelectMultiple
    template_name = "dsfr/form_field_snippets/checkboxselectmultiple_snippet.html"
