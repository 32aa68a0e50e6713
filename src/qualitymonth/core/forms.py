"""The base classes of every form of the platform.

What a person sends is checked for control characters here, in one place, before any field
parses it or any clean method looks it up: a NUL makes PostgreSQL fail, the others break the
Excel exports and the Open311 XML. Long text (a Textarea) keeps its line breaks and tabs; every
other field is one line.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext

from qualitymonth.core.validators import client_int, refuse_control_characters


def is_multiline(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.Textarea)


def _refuse_in_raw(value, *, field: forms.Field) -> None:
    """The raw value of a widget: a string, a list of them (multiple choices, split date and
    time), or files, whose content is not text. Code that builds a form from Python values
    passes what it means."""
    if isinstance(value, str):
        multiline = is_multiline(field)
        if not multiline and getattr(field, "strip", True):
            # A tab or line break pasted at either end is stripped by the field, not stored.
            value = value.strip()
        refuse_control_characters(value, multiline=multiline)
    elif isinstance(value, list | tuple):
        for item in value:
            _refuse_in_raw(item, field=field)


def _refuse_out_of_range_ids(value, *, field: forms.Field) -> None:
    """A model choice keyed by an integer: an id past 64 bits is "not a valid choice" here, where
    Django would pass it to an ``IN`` query that fails on SQLite and PostgreSQL (a 500)."""
    if not isinstance(field, forms.ModelChoiceField):
        return
    model = field.queryset.model
    key = model._meta.pk if not field.to_field_name else model._meta.get_field(field.to_field_name)
    if not isinstance(key, models.IntegerField):
        return
    for item in value if isinstance(value, list | tuple) else [value]:
        # Only what a client sends (text); code passing model instances means what it passes.
        if isinstance(item, str) and item.strip() and client_int(item) is None:
            raise ValidationError(
                field.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": item[:30]},
            )


class CleanInputMixin:
    """Refuse control characters in every field's raw input, as that field's error."""

    def _clean_fields(self):
        # Django's own loop (forms.BaseForm._clean_fields, 5.2) with the check first, so a field
        # refused here is never parsed, never looked up and never reaches clean().
        for name, bf in self._bound_items():
            field = bf.field
            try:
                if not field.disabled:
                    _refuse_in_raw(bf.data, field=field)
                    _refuse_out_of_range_ids(bf.data, field=field)
                self.cleaned_data[name] = field._clean_bound_field(bf)
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except ValidationError as error:
                self.add_error(name, error)


class LabelSuffixMixin:
    """Labels end in the language's own colon: "：" on Chinese pages, ":" on English ones."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", gettext(":"))
        super().__init__(*args, **kwargs)


class Form(CleanInputMixin, LabelSuffixMixin, forms.Form):
    pass


class ModelForm(CleanInputMixin, LabelSuffixMixin, forms.ModelForm):
    pass


def posted_text(request, name: str, *, multiline: bool = True) -> str:
    """A text a view reads without a form (the reason beside a workflow button), checked as a
    form field is; the ValidationError reaches the person as a service's refusal does."""
    value = request.POST.get(name, "")
    refuse_control_characters(value, multiline=multiline)
    return value
