"""The base of every API input schema: text is checked for control characters in one place.

Every string a client sends in a body, a form or a query (nested, in lists, as dictionary keys)
is one line unless its field is declared `Text`; a control character or, in a one-line field, a
line break or a tab is a field error (422), as in the web forms (core/forms.py). Parameters
declared outside a schema use `Line` or `Text` directly.
"""

from typing import Annotated, Any, get_args, get_origin

from django.core.exceptions import ValidationError
from ninja import FilterSchema, Schema
from pydantic import AfterValidator, ValidationInfo, field_validator
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from qualitymonth.core.validators import refuse_control_characters


class _Multiline:
    """Marks long text, which keeps its line breaks and tabs."""

    def __repr__(self) -> str:
        return "MULTILINE"


MULTILINE = _Multiline()


def _refuse_in(value: Any, *, multiline: bool) -> Any:
    # Nested schemas are checked by their own validator (they are InputSchemas too).
    if isinstance(value, str):
        try:
            refuse_control_characters(value, multiline=multiline)
        except ValidationError as error:
            raise PydanticCustomError(error.code or "invalid", error.messages[0]) from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_in(key, multiline=False)
            _refuse_in(item, multiline=multiline)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _refuse_in(item, multiline=multiline)
    return value


def _one_line(value: Any) -> Any:
    return _refuse_in(value, multiline=False)


def _long_text(value: Any) -> Any:
    return _refuse_in(value, multiline=True)


Line = Annotated[str, AfterValidator(_one_line)]
Text = Annotated[str, MULTILINE, AfterValidator(_long_text)]


def _mentions_multiline(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated:
        inner, *metadata = get_args(annotation)
        return any(m is MULTILINE for m in metadata) or _mentions_multiline(inner)
    return any(_mentions_multiline(arg) for arg in get_args(annotation))


def is_multiline(field: FieldInfo) -> bool:
    return any(m is MULTILINE for m in field.metadata) or _mentions_multiline(field.annotation)


class InputSchema(Schema):
    """The base of every schema a client sends."""

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        return _refuse_in(value, multiline=is_multiline(cls.model_fields[info.field_name]))


class InputFilterSchema(InputSchema, FilterSchema):
    """The base of every query filter (ninja's FilterSchema) a client sends."""
