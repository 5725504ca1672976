"""What is wrong with a consult, in one line that names the field."""

from __future__ import annotations

import json
import re
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

from decision_aid.consult.paths import field_bounds

if TYPE_CHECKING:
    from pydantic import ValidationError


class ConsultError(ValueError):
    """A consult file or text that cannot be read, with a one-line reason naming the field."""


# Schema 4's parts (docs/design.md section 13.1): an unknown key there is most likely a date,
# a name or a note, which they never keep.
_COURSE_PARTS: Final = frozenset({"plan", "course", "course_end"})

# Fields that look like identifiers get their own message: the refusal is on purpose.
_IDENTIFIER_WORDS: Final = ("name", "birth", "dob", "mrn", "record", "address", "phone", "ssn")


def describe_validation_error(error: ValidationError) -> str:
    """One line naming the first bad field, what is wrong and, for a choice, what is allowed."""
    errors = error.errors(include_url=False)
    first = errors[0]
    path = _dotted_path(first["loc"])
    message = _describe_one(first, path)
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return message


def _describe_one(detail: Any, path: str) -> str:
    kind = detail["type"]
    context = detail.get("ctx", {})
    if kind == "extra_forbidden":
        if path.split(".", 1)[0].split("[", 1)[0] in _COURSE_PARTS:
            return (
                f"{path}: unknown field; the plan and the course keep no dates, names or free "
                "text (time is counted in days since the first visit)"
            )
        leaf = path.rsplit(".", 1)[-1].lower()
        if any(word in leaf for word in _IDENTIFIER_WORDS):
            return (
                f"{path}: unknown field; a consult never holds a patient's name, birth date "
                "or record number"
            )
        return f"{path}: unknown field"
    if kind == "missing":
        return f"{path}: required here but missing"
    if kind == "enum":
        allowed = context.get("expected", "")
        return f"{path}: {short_value(detail['input'])} is not allowed; allowed values: {allowed}"
    if kind == "literal_error":
        return (
            f"{path}: {short_value(detail['input'])} is not allowed; expected {context['expected']}"
        )
    if kind in ("greater_than_equal", "less_than_equal"):
        bounds = _bounds_of(path)
        return f"{path}: {short_value(detail['input'])} is out of range; allowed {bounds}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{path}: expected a whole number or null, not {json_type(detail['input'])}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{path}: expected a JSON object, not {json_type(detail['input'])}"
    if kind == "list_type":
        return f"{path}: expected a list, not {json_type(detail['input'])}"
    if kind == "too_long":
        return f"{path}: too many entries (at most {context.get('max_length')})"
    if kind == "value_error":
        problem = str(context.get("error", detail["msg"]))
        # A check of the whole object (loc is empty) says itself which fields it compares; a
        # check of a section that names its own field ("infusion_number: ...") is joined to
        # the section's path (course[3].infusion_number).
        if not detail["loc"]:
            return problem
        if re.match(r"[a-z_][a-z0-9_.]*: ", problem):
            return f"{path}.{problem}"
        return f"{path}: {problem}"
    return f"{path}: {detail['msg']}"


def _bounds_of(path: str) -> str:
    """The allowed range of a number field, in words."""
    bounds = field_bounds(path)
    return f"{bounds[0]} to {bounds[1]}, or null" if bounds else "within the documented range"


def _dotted_path(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            name = printable_name(part)
            path += f".{name}" if path else name
    return path or "(top level)"


def printable_name(name: str) -> str:
    """A field name as a message can show it: odd or long names quoted and shortened, with
    control and format characters (a terminal's escape codes, bidi marks) escaped."""
    if re.fullmatch(r"\w{1,40}", name) and name.isprintable():
        return name
    quoted = escape_unprintable(json.dumps(name, ensure_ascii=False))
    return quoted if len(quoted) <= 40 else quoted[:36] + '..."'


def escape_unprintable(text: str) -> str:
    """``text`` with every character a terminal would act on or hide (C0 and C1 controls,
    Unicode format characters such as bidi and zero-width marks) written as ``\\uXXXX``."""
    if text.isprintable():
        return text
    return "".join(
        character if character.isprintable() else f"\\u{ord(character):04x}" for character in text
    )


def json_type(value: object) -> str:
    match value:
        case None:
            return "null"
        case bool():
            return "true/false"
        case int() | float():
            return "a number"
        case str():
            return "text"
        case list():
            return "a list"
        case dict():
            return "an object"
    return type(value).__name__


def short_value(value: object) -> str:
    """A bad value, shortened: enough to recognise a typo, never a pasted paragraph."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**30:
        # Not converted to text whole: a number of thousands of digits is slow to convert.
        return f"a number of {_digits(value):,} digits"
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, StrEnum) else value
    text = escape_unprintable(text)
    return text if len(text) <= 32 else text[:29] + "..."


def _digits(value: int) -> int:
    """How many decimal digits ``value`` has, without converting it to text."""
    bits = abs(value).bit_length()
    guess = max(1, int(bits * 0.30102999566398120))  # log10(2)
    return guess + 1 if abs(value) >= 10**guess else guess
