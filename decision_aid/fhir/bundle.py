"""A consult with its course as a FHIR ``collection`` Bundle, and back (docs/design.md section
13.4; docs/design.md here, "Note and FHIR of a course"): the consult's QuestionnaireResponse
first, then one per visit in the course's order.

No entry has a subject, an author, an encounter or a date, and the Bundle has no timestamp:
decision-aid holds none of them, and the receiving system adds them as it files each visit.
Each entry's order is stated by its logical id (``consult``, ``visit-1``, ...), so that a
Bundle whose entries were moved is refused rather than read as another course.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from decision_aid.consult import ConsultError, consult_from_data_upgrading
from decision_aid.fhir import course_items
from decision_aid.fhir.common import CANONICAL
from decision_aid.fhir.reading import consult_data
from decision_aid.fhir.responses import questionnaire_response
from decision_aid.fhir.structure import TOO_DEEP, check_structure, decoded
from decision_aid.fhir.visits import VISIT, VISIT_CANONICAL, visit_id, visit_response

if TYPE_CHECKING:
    from decision_aid.consult import Consult
    from decision_aid.content import Content

CONSULT_ID: Final = "consult"


def course_bundle(consult: Consult, content: Content) -> dict[str, Any]:
    """The consult and each visit of its course as a ``collection`` Bundle, validated by the
    fhir.resources R4B model. A visit's response is ``in-progress`` while the course
    assessment finds one of its required answers unknown."""
    from fhir.resources.R4B.bundle import Bundle

    from decision_aid.course import assess_course

    course = assess_course(consult, content)
    missing = course.missing if course is not None else ()
    entries = [{"resource": {"id": CONSULT_ID, **questionnaire_response(consult, content)}}]
    for index, visit in enumerate(consult.course):
        complete = not any(path.startswith(f"course[{index}].") for path in missing)
        entries.append({"resource": visit_response(visit, index + 1, complete=complete)})
    data = {"resourceType": "Bundle", "type": "collection", "entry": entries}
    # Each entry is already the JSON its model wrote: the Bundle is validated whole, and not
    # written out again (that would double the time of a 20-visit export).
    Bundle.model_validate(data)
    return data


def consult_from_bundle(bundle: object) -> Consult:
    """Reads a consult and its course back from a Bundle made by :func:`course_bundle`.

    Refused, naming the entry and the item: what the consult's reader refuses (a repeated
    key or answer, a code of another system, an answer of another kind); an entry out of its
    place (the consult first, then the visits in order, each by its id); an entry that answers
    another Questionnaire; and any bad visit, by its path (``course[2].day``).

    Args:
        bundle: the Bundle as JSON text, as JSON data, or as a ``fhir.resources`` R4B model.

    Raises:
        ConsultError: the one error this function raises.
    """
    try:
        return _read_bundle(bundle)
    except ConsultError:
        raise
    except RecursionError:
        raise ConsultError(TOO_DEEP) from None
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        raise ConsultError("not a Bundle as decision-aid writes them") from None


def _read_bundle(bundle: object) -> Consult:
    from pydantic import BaseModel

    if isinstance(bundle, BaseModel):
        bundle = bundle.model_dump_json(exclude_none=True)
    data = decoded(bundle) if isinstance(bundle, str | bytes) else bundle
    check_structure(data)
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise ConsultError("not a FHIR Bundle")
    if data.get("type") != "collection":
        raise ConsultError("type: expected a collection Bundle")
    entries = data.get("entry")
    if not isinstance(entries, list) or not entries:
        raise ConsultError("entry: a Bundle of a consult holds the consult's response first")
    resources = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or set(entry) != {"resource"}:
            raise ConsultError(f"entry[{index}]: an entry holds its resource and nothing else")
        resources.append(entry["resource"])
    consult = _entry(
        resources[0], 0, CONSULT_ID, CANONICAL, lambda r: consult_data(r, canonicals=(CANONICAL,))
    )
    visits = [
        _entry(
            resource, number, visit_id(number), VISIT_CANONICAL, lambda r, n=number: _visit(r, n)
        )
        for number, resource in enumerate(resources[1:], start=1)
    ]
    if visits:
        consult["course"] = visits
    return consult_from_data_upgrading(consult)[0]


def _entry(
    resource: Any, index: int, expected_id: str, canonical: str, read: Any
) -> dict[str, Any]:
    """One entry's data, when it is the response expected at its place."""
    what = "the consult's response" if index == 0 else f"the response of visit {index}"
    if (
        not isinstance(resource, dict)
        or resource.get("resourceType") != "QuestionnaireResponse"
        or resource.get("questionnaire") != canonical
        or resource.get("id") != expected_id
    ):
        found = resource.get("id") if isinstance(resource, dict) else None
        raise ConsultError(
            f"entry[{index}]: expected {what} (id {expected_id}, questionnaire {canonical}) "
            f"here, found {_what(resource, found)}; entries in another order or of another "
            "Questionnaire are not read"
        )
    try:
        data: dict[str, Any] = read({key: value for key, value in resource.items() if key != "id"})
    except ConsultError as error:
        raise ConsultError(f"entry[{index}]: {error}") from None
    return data


def _what(resource: object, found: object) -> str:
    if not isinstance(resource, dict):
        return "no resource"
    kind = resource.get("resourceType")
    questionnaire = resource.get("questionnaire")
    shown = [f"id {found}" if isinstance(found, str) else "no id"]
    if isinstance(questionnaire, str):
        shown.append(f"questionnaire {questionnaire[:120]}")
    return f"a {kind if isinstance(kind, str) else 'resource'} with {' and '.join(shown)}"


def _visit(resource: dict[str, Any], number: int) -> dict[str, Any]:
    """A visit's data in the consult file's form; a message names an item by the visit's
    path in the consult (``course[2].pgic``)."""
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
    from pydantic import ValidationError

    try:
        QuestionnaireResponse.model_validate(resource)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConsultError(
            f"not a valid FHIR R4B QuestionnaireResponse: {where}: {first['msg']}"
        ) from None
    prefix = f"course[{number - 1}]"

    def name(link_id: str) -> str:
        return prefix + link_id.removeprefix(VISIT) if link_id.startswith(VISIT) else link_id

    visit: dict[str, Any] = {}
    course_items.read_items(resource.get("item", []), VISIT, visit, set(), name)
    return visit
