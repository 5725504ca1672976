"""FHIR R4B export: a Questionnaire for the consult's questions, a QuestionnaireResponse for a
consult, and the way back from a response to a consult (docs/design.md section 8).

Every question's ``linkId`` is the consult field's dotted path (``safety.liver``), stable across
versions of the content; groups are the window's steps. Answer codes are the consult file's
values. An answer that is unknown (``unknown``, null, a list that was not reviewed) is left out
of the response, as FHIR leaves unanswered questions out; reading the response back gives
"unknown" for it, so a consult survives the round trip unchanged. A reviewed list with none of
its items ticked answers with the exclusive code ``none``.

The answers that are always required (``Need.ALWAYS`` in the table of answers,
``consult/answers.py``) are ``required`` items; a response is ``in-progress`` while any required
answer (those that other answers make required too) is unknown.

The Questionnaire's version is the consult schema's (3). A response to the version 2
Questionnaire is read as the version 2 consult it describes (its ``linkId``s are version 2's
answers, ``decision.self_harm_assessed`` among them) and brought up to version 3 by the same
upgrade as a version 2 file (docs/design.md section 4.1).

Only ``prior_treatments.outcome`` has an ``enableWhen`` (it needs a therapy). The other
questions are asked of everyone on purpose, because the rules read them whatever the other
answers are: past alcohol use fires the liver caution whatever the substance-use status,
PHQ-9 item 9 screens for self-harm whatever the depression answer, and the harms of earlier
ketamine count whether it was a treatment or a substance used. Hiding them behind an
``enableWhen`` would let a form skip an answer that changes the assessment, and would make a
consult that holds them unrepresentable, breaking the round trip.

Schema 4 (docs/design.md section 13.4) adds the ``plan`` and ``course_end`` groups to the
consult's Questionnaire (version 4), a Questionnaire of its own for one visit of the course,
and a ``collection`` Bundle of the consult's response and one response per visit.

One module per job: ``common`` (identifiers, code systems, validation), ``questions`` (the
Questionnaire), ``responses`` (a consult as a response), ``structure`` (the checks on a
response's JSON before it is read), ``reading`` (a response back to a consult),
``course_items`` (the plan's, the course end's and a visit's fields as items, answers and
back), ``visits`` (the visit Questionnaire and a visit's response) and ``bundle`` (the
consult with its course as a Bundle, and back). This module only gathers their public names.
"""

from decision_aid.fhir.bundle import CONSULT_ID, consult_from_bundle, course_bundle
from decision_aid.fhir.common import (
    BASE_URL,
    CANONICAL,
    NONE_CODE,
    QUESTIONNAIRE_URL,
    QUESTIONNAIRE_VERSION,
    READ_VERSIONS,
    code_system,
    step_link_id,
    to_json,
)
from decision_aid.fhir.questions import questionnaire
from decision_aid.fhir.reading import (
    consult_from_questionnaire_response,
    consult_from_questionnaire_response_upgrading,
)
from decision_aid.fhir.responses import questionnaire_response
from decision_aid.fhir.visits import (
    VISIT_CANONICAL,
    VISIT_QUESTIONNAIRE_URL,
    VISIT_QUESTIONNAIRE_VERSION,
    visit_questionnaire,
    visit_response,
)

__all__ = [
    "BASE_URL",
    "CANONICAL",
    "CONSULT_ID",
    "VISIT_CANONICAL",
    "VISIT_QUESTIONNAIRE_URL",
    "VISIT_QUESTIONNAIRE_VERSION",
    "NONE_CODE",
    "QUESTIONNAIRE_URL",
    "QUESTIONNAIRE_VERSION",
    "READ_VERSIONS",
    "code_system",
    "consult_from_bundle",
    "consult_from_questionnaire_response",
    "consult_from_questionnaire_response_upgrading",
    "course_bundle",
    "questionnaire",
    "questionnaire_response",
    "step_link_id",
    "to_json",
    "visit_questionnaire",
    "visit_response",
]
