"""The visit Questionnaire and a visit's QuestionnaireResponse (docs/design.md section 13.4;
docs/design.md here, "Note and FHIR of a course").

One response per visit, not Observations: a receiving system files each visit as its own
encounter and adds the patient, the date and the author, which decision-aid never holds. A
QuestionnaireResponse needs none of them, while a vital-signs Observation must have a subject
and an effective time (`fhir_vitalsigns`); the SDC ``observationExtract`` extension on PHQ-9
item 9 lets the receiving system make an Observation of it once it has added them
(`sdc_extract`). The other items stay uncoded until a code for them is checked into the fact
base.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from decision_aid.fhir import course_items
from decision_aid.fhir.common import BASE_URL, validated

if TYPE_CHECKING:
    from decision_aid.consult import Visit
    from decision_aid.content import Content

VISIT_QUESTIONNAIRE_URL: Final = f"{BASE_URL}/Questionnaire/ketamine-fibromyalgia-course-visit"
# Its own version: it follows the visit's fields, which may change apart from the consult's.
VISIT_QUESTIONNAIRE_VERSION: Final = "1"
VISIT_CANONICAL: Final = f"{VISIT_QUESTIONNAIRE_URL}|{VISIT_QUESTIONNAIRE_VERSION}"
# A visit's fields are named from this root in the visit Questionnaire (``visit.pgic``).
VISIT: Final = "visit"

_ITEM9: Final = "visit.phq9_item9"
# PHQ-9 item 9's LOINC code and its answer text as LOINC names it (`loinc_phq9_9`).
_LOINC: Final = "http://loinc.org"
_ITEM9_CODE: Final = "44260-8"
_ITEM9_DISPLAY: Final = (
    "Thoughts that you would be better off dead, or of hurting yourself in some way"
)
_OBSERVATION_EXTRACT: Final = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-observationExtract"
)


def visit_questionnaire(content: Content) -> dict[str, Any]:
    """The Questionnaire of one visit, validated by the fhir.resources R4B model."""
    from fhir.resources.R4B.questionnaire import Questionnaire

    items = course_items.items(VISIT, content)
    for item in items:
        if item["linkId"] == _ITEM9:
            item["code"] = [{"system": _LOINC, "code": _ITEM9_CODE, "display": _ITEM9_DISPLAY}]
            item["extension"] = [
                *item.get("extension", []),
                {"url": _OBSERVATION_EXTRACT, "valueBoolean": True},
            ]
    data = {
        "resourceType": "Questionnaire",
        "url": VISIT_QUESTIONNAIRE_URL,
        "version": VISIT_QUESTIONNAIRE_VERSION,
        "name": "KetamineFibromyalgiaCourseVisit",
        "title": "IV ketamine for fibromyalgia: one visit of a trial course (decision-aid)",
        "status": "active",
        "subjectType": ["Patient"],
        "description": (
            f"One visit of a ketamine trial course; texts from the content pack {content.label}. "
            "Time is counted in days since the course's first visit: no date, name or record "
            "number is asked."
        ),
        "item": items,
    }
    return validated(Questionnaire, data)


def visit_id(number: int) -> str:
    """The logical id of visit ``number`` (from 1) in a Bundle: the entries' order, checked
    when a Bundle is read."""
    return f"visit-{number}"


def visit_response(visit: Visit, number: int, *, complete: bool) -> dict[str, Any]:
    """One visit as a QuestionnaireResponse, validated by the R4B model: no subject, author,
    encounter or date (``authored``), which decision-aid never holds.

    Args:
        visit: the visit.
        number: its place in the course, from 1.
        complete: no required answer of this visit is unknown (the course assessment's
            ``missing`` names none of its paths): ``completed``, else ``in-progress``.
    """
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    data = {
        "resourceType": "QuestionnaireResponse",
        "id": visit_id(number),
        "questionnaire": VISIT_CANONICAL,
        "status": "completed" if complete else "in-progress",
        "item": course_items.answers(visit, VISIT),
    }
    return validated(QuestionnaireResponse, data)
