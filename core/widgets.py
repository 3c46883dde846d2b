"""Form widgets shared by the apps' forms."""

from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe


def _attributes(attributes: dict) -> str:
    """As django/forms/widgets/attrs.html writes them: in order, True as a bare name,
    False left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attributes.items()
        if value is not False
    )


class FastSelect(forms.Select):
    """A ``<select>`` written out in Python instead of Django's widget templates.

    Django builds a dictionary for every ``<option>`` and renders it through a template
    include; the filter forms list some 300 departments, which took most of a public list
    page's time at city scale. The markup is the same as ``Select``'s (a test
    compares them), and every value and label is escaped.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attributes = self.build_attrs(self.attrs, attrs)
        chosen = set(self.format_value(value))
        parts = [f'<select name="{escape(name)}"{_attributes(attributes)}>']

        def option(option_value, label):
            text = "" if option_value is None else str(option_value)
            selected = " selected" if text in chosen else ""
            parts.append(f'<option value="{escape(text)}"{selected}>{escape(label)}</option>')

        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                parts.append(f'<optgroup label="{escape(option_value)}">')
                for inner_value, inner_label in label:
                    option(inner_value, inner_label)
                parts.append("</optgroup>")
            else:
                option(option_value, label)
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label escaped above


class DateInput(forms.DateInput):
    """A browser date picker (``<input type="date">``), which reads and writes ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """A browser date-and-time picker (``<input type="datetime-local">``), minute precision."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class MultipleFileInput(forms.ClearableFileInput):
    """``<input type="file" multiple>``: several files under one name."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input, cleaned to a list (empty when none is chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return super().clean(None, initial) or []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]
