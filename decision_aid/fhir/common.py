"""What the FHIR export's parts share: the identifiers, the answers' code systems, and the
validation of a resource by its ``fhir.resources`` R4B model (docs/design.md section 8)."""

from __future__ import annotations

import json
from typing import Any, Final

from decision_aid.consult import SCHEMA_VERSION, Language, Paper

# Identifiers, never fetched: decision-aid makes no network access.
BASE_URL: Final = "http://decision-aid.example/fhir"
QUESTIONNAIRE_URL: Final = f"{BASE_URL}/Questionnaire/ketamine-fibromyalgia-consult"
# The questionnaire's structure follows the consult schema, so its version is the schema's:
# version 4 added the plan and the course's end (docs/design.md section 13.4).
QUESTIONNAIRE_VERSION: Final = str(SCHEMA_VERSION)
CANONICAL: Final = f"{QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION}"
# The versions of the Questionnaire whose responses are read, by canonical: the current one;
# version 3's, the same questions without the plan (read as a version 3 consult, which is a
# version 4 one without a plan); and version 2's, read as a version 2 consult and upgraded
# (docs/design.md section 4.1). Version 1 of the program wrote no response that said its
# version, so none is read as one.
READ_VERSIONS: Final = {
    f"{QUESTIONNAIRE_URL}|{version}": version for version in (2, 3, SCHEMA_VERSION)
}

MIN_VALUE: Final = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE: Final = "http://hl7.org/fhir/StructureDefinition/maxValue"
OPTION_EXCLUSIVE: Final = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
THERAPY: Final = "prior_treatments.therapy"
OUTCOME: Final = "prior_treatments.outcome"
# The consult's groups that are parts of the file, not steps of the window: the trial plan and
# the course's end (docs/design.md section 13.4), each ``linkId`` the field's path.
COURSE_GROUPS: Final = ("plan", "course_end")
# The code of "reviewed, none of these" in a reviewed list (no item of a list is called so).
NONE_CODE: Final = "none"
# The handout given, which the program records in the Decision step's section: not a question
# of the content pack, so its texts are here.
HANDOUT: Final = "decision.handout"
HANDOUT_PARTS: Final = {
    f"{HANDOUT}.language": ("Handout language", tuple(Language)),
    f"{HANDOUT}.paper": ("Handout paper size", tuple(Paper)),
    f"{HANDOUT}.content_stamp": ("Content pack stamp of the handout", None),
}


def step_link_id(step: str) -> str:
    """A step's group: "step." + its id, so that it never collides with a field's path."""
    return f"step.{step}"


def code_system(path: str) -> str:
    """The code system of one question's answers (its values are the consult file's)."""
    return f"{BASE_URL}/CodeSystem/{path}"


def coding(path: str, code: str) -> dict[str, Any]:
    return {"valueCoding": {"system": code_system(path), "code": code}}


def validated(model: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Validates FHIR JSON data with its fhir.resources model and returns it as plain JSON."""
    resource = model.model_validate(data)
    dumped: dict[str, Any] = json.loads(resource.model_dump_json(exclude_none=True))
    return dumped


def to_json(resource: dict[str, Any]) -> str:
    """A FHIR resource as the text of a ``.json`` file."""
    return json.dumps(resource, indent=2, ensure_ascii=False) + "\n"
