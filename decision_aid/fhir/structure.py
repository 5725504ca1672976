"""The checks made on a response's JSON before any model or recursive reader sees it, and how
its messages show what a response holds (docs/design.md sections 8 and 11)."""

from __future__ import annotations

import json
import re
from typing import Any, Final

from decision_aid.consult import ConsultError, load_json_marking_repeats, repeated_key_of

TOO_DEEP: Final = "the response is nested too deeply to be a decision-aid QuestionnaireResponse"
# A response of decision-aid nests about 10 levels (lists and objects); deeper data is refused
# before anything recursive reads it.
_MAX_DEPTH: Final = 40
# No answer has more than four digits, nor does anything else in a response.
_MAX_DIGITS: Final = 30
# A linkId that can be an answer's: a dotted path of names (the consult model refuses those
# of no answer, naming them; a section's name alone, or schema_version, is refused here).
LINK_ID: Final = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")
_UNDOTTED_ANSWERS: Final = ("prior_treatments", "priorities")


def decoded(text: str | bytes) -> Any:
    """The JSON data of a response's text, each object that repeats a key marked."""
    try:
        return load_json_marking_repeats(text)
    except RecursionError:
        raise ConsultError(TOO_DEEP) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ConsultError(f"not a FHIR JSON resource ({error})") from None
    except ValueError:
        # Python refuses to convert an integer of more than 4,300 digits.
        raise ConsultError("a number in the response has far too many digits") from None


def check_structure(data: object) -> None:
    """Refuses, naming the item (its ``linkId``), a key given twice in one JSON object, an
    integer longer than any answer, and nesting deeper than any response of decision-aid.

    Iterative, so that no depth of data can exhaust the stack here.
    """
    stack: list[tuple[object, str, str, int]] = [(data, "", "", 0)]  # path, linkId, depth
    while stack:
        value, path, link_id, depth = stack.pop()
        where = f"{shown(link_id)}: " if link_id else ""
        if depth > _MAX_DEPTH:
            raise ConsultError(f"{where}{TOO_DEEP}")
        if isinstance(value, int) and not isinstance(value, bool):
            # Counted without converting to text, which Python refuses past 4,300 digits.
            if value.bit_length() > _MAX_DIGITS * 4:
                raise ConsultError(f"{where}a number with far too many digits ({path})")
        elif isinstance(value, dict):
            repeated = repeated_key_of(value)
            own = value.get("linkId")
            inner = own if isinstance(own, str) and names_an_answer(own) else link_id
            if repeated is not None:
                at = f"{shown(inner)}: " if inner else ""
                raise ConsultError(
                    f"{at}the key {quoted(repeated)} given twice in one JSON object "
                    f"({path.lstrip('.') or 'the response'}); a response must say one thing "
                    "per answer"
                )
            for key, child in value.items():
                if not isinstance(key, str):
                    raise ConsultError(f"{where}a key that is not text ({path or 'the response'})")
                stack.append((child, f"{path}.{json_key(key)}", inner, depth + 1))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                stack.append((child, f"{path}[{index}]", link_id, depth + 1))
        elif not isinstance(value, str | float | bool) and value is not None:
            raise ConsultError(f"{where}{type(value).__name__} is not JSON data ({path})")


def names_an_answer(link_id: str) -> bool:
    """Whether a linkId has the form of an answer's path (or of a step's, or a group's)."""
    return bool(LINK_ID.fullmatch(link_id)) and ("." in link_id or link_id in _UNDOTTED_ANSWERS)


def shown(link_id: object) -> str:
    """A linkId as a message shows it: an answer's path as it is, anything else quoted."""
    if not isinstance(link_id, str):
        return "(an item without a linkId)"
    return link_id if LINK_ID.fullmatch(link_id) and len(link_id) <= 80 else quoted(link_id)


def json_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,39}", key) else quoted(key)


def quoted(text: object) -> str:
    """Text of a response quoted for a message, in ASCII (no control, format or bidi character
    reaches a terminal) and shortened."""
    quoted = json.dumps(text)
    return quoted if len(quoted) <= 60 else quoted[:56] + '..."'
