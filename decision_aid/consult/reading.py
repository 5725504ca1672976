"""Reading a consult from the text of a file or from decoded JSON, in any schema version this
program reads: refuses what is not a consult, naming the field, and upgrades an older file."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

from pydantic import ValidationError

from decision_aid.consult.errors import (
    ConsultError,
    describe_validation_error,
    json_type,
    printable_name,
    short_value,
)
from decision_aid.consult.model import COURSE_PARTS, PLANLESS_VERSION, SCHEMA_VERSION, Consult
from decision_aid.consult.upgrade import upgrade

if TYPE_CHECKING:
    from decision_aid.consult.upgrade import Upgrade
    from decision_aid.consult.v1 import ConsultV1
    from decision_aid.consult.v2 import ConsultV2


# A consult file is a few kilobytes; anything far larger is not a consult, and reading it
# whole would only cost memory before the inevitable refusal.
MAX_FILE_BYTES: Final = 1_000_000


def parse_consult(text: str | bytes) -> Consult:
    """Reads a consult from the text of a consult file (any schema version this program reads).

    Raises:
        ConsultError: the text is not JSON, repeats a key, has a schema_version this program
            cannot read, or an answer is missing its required parts, out of range or not an
            allowed value.
    """
    return parse_consult_upgrading(text)[0]


def parse_consult_upgrading(text: str | bytes) -> tuple[Consult, Upgrade | None]:
    """As :func:`parse_consult`, and what was upgraded when the file had an older version."""
    try:
        data = json.loads(text, object_pairs_hook=_refuse_repeated_keys)
    except UnicodeDecodeError as error:
        raise ConsultError(f"the file is not UTF-8 text (byte {error.start})") from None
    except RecursionError:
        raise ConsultError("the file is nested too deeply to be a consult") from None
    except json.JSONDecodeError as error:
        raise ConsultError(
            f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except ValueError:
        # Python refuses to convert an integer of more than 4,300 digits (a guard against
        # slow conversions); no answer of a consult has more than four.
        raise ConsultError("a number in the file has far too many digits") from None
    try:
        repeated = _repeated_key(data)
    except RecursionError:
        raise ConsultError("the file is nested too deeply to be a consult") from None
    if repeated:
        raise ConsultError(
            f"{repeated}: given twice in one JSON object; a file must say one thing per answer"
        )
    return consult_from_data_upgrading(data)


def load_json_marking_repeats(text: str | bytes) -> Any:
    """``json.loads``, with each object that named a key twice marked (:func:`repeated_key_of`).

    Raises:
        json.JSONDecodeError, UnicodeDecodeError: not JSON text.
        RecursionError: nested too deeply.
        ValueError: an integer of more than 4,300 digits.
    """
    return json.loads(text, object_pairs_hook=_refuse_repeated_keys)


def repeated_key_of(data: object) -> str | None:
    """The key that one object of :func:`load_json_marking_repeats` named twice, or None."""
    return data.repeated if isinstance(data, _Repeated) else None


class _Repeated(dict[str, Any]):
    """A JSON object that named one key twice; which key, so the message can say where."""

    repeated = ""


def _refuse_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json keeps the last of a repeated key: "liver": "severe" then "liver": "none" would be
    # read as none. The object is marked here, and refused once its place is known.
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data and not isinstance(data, _Repeated):
            data = _Repeated(data)
            data.repeated = key
        data[key] = value
    return data


def _repeated_key(data: object, path: str = "") -> str | None:
    """The dotted path of the first key given twice in one object, or None."""
    if isinstance(data, _Repeated):
        return f"{path}.{printable_name(data.repeated)}".lstrip(".")
    children: Any = ()
    if isinstance(data, dict):
        children = ((f"{path}.{printable_name(key)}", value) for key, value in data.items())
    elif isinstance(data, list):
        children = ((f"{path}[{index}]", value) for index, value in enumerate(data))
    for child_path, value in children:
        found = _repeated_key(value, child_path.lstrip("."))
        if found:
            return found
    return None


def consult_from_data(data: object) -> Consult:
    """Validates already-decoded JSON data as a consult, upgrading older schema versions.

    Raises:
        ConsultError: as for :func:`parse_consult`.
    """
    return consult_from_data_upgrading(data)[0]


def consult_from_data_upgrading(data: object) -> tuple[Consult, Upgrade | None]:
    """As :func:`consult_from_data`, and what was upgraded when the data had an older version."""
    if not isinstance(data, dict):
        raise ConsultError(f"a consult is a JSON object, not {json_type(data)}")
    version = _schema_version(data)
    try:
        if version == SCHEMA_VERSION:
            return Consult.model_validate(data), None
        if version == PLANLESS_VERSION:
            # Version 4 only added the plan and the course: a version 3 file is a version 4
            # consult with neither, and nothing to answer again (docs/design.md 13.1).
            newer = sorted(COURSE_PARTS & data.keys())
            if newer:
                raise ConsultError(
                    f"{newer[0]}: unknown field in a schema version 3 file (the plan and the "
                    "course came with version 4)"
                )
            return Consult.model_validate({**data, "schema_version": SCHEMA_VERSION}), None
        # An older file is validated as it was written, so that a message names the field as
        # the file has it, and only then upgraded.
        old = _older_model(version).model_validate(data)
    except ValidationError as error:
        raise ConsultError(describe_validation_error(error)) from None
    return upgrade(old)


def _schema_version(data: dict[str, Any]) -> int:
    """The file's schema version; refuses one from a newer program. A file without one is
    taken as the current version (every version this program wrote states it)."""
    version = data.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ConsultError(
            f"schema_version: {short_value(version)} is not a schema version "
            f"(expected 1 to {SCHEMA_VERSION})"
        )
    if version > SCHEMA_VERSION:
        raise ConsultError(
            f"schema_version: this consult was saved by a newer decision-aid (schema "
            f"version {short_value(version)}); this one reads schema versions 1 to "
            f"{SCHEMA_VERSION}. Update decision-aid to open it."
        )
    return version


def _older_model(version: int) -> type[ConsultV1 | ConsultV2]:
    """The model of an older version, as its program accepted it; imported only when such a
    file is read (building the older models' validators costs every start-up some 30 ms)."""
    from decision_aid.consult.v1 import ConsultV1
    from decision_aid.consult.v2 import ConsultV2

    return ConsultV1 if version == 1 else ConsultV2
