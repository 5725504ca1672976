"""`decision-aid fhir` in a process of its own: both resources written, and no Qt loaded."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from tests.helpers import EXAMPLES, heavy_modules_loaded_by, run_command

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.slow
def test_fhir_command_writes_both_resources_without_qt(tmp_path: Path) -> None:
    out = tmp_path / "response.json"
    assert (
        heavy_modules_loaded_by("fhir", str(EXAMPLES / "may-discuss.consult.json"), "-o", str(out))
        == []
    )
    QuestionnaireResponse.model_validate_json(out.read_text(encoding="utf-8"))
    questionnaire = tmp_path / "questionnaire.json"
    run_command("fhir", "--questionnaire", "-o", str(questionnaire), check=True)
    Questionnaire.model_validate_json(questionnaire.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_fhir_course_command_writes_a_bundle_without_qt(tmp_path: Path) -> None:
    from fhir.resources.R4B.bundle import Bundle

    from tests.course_consults import design_example

    source = tmp_path / "course.consult.json"
    source.write_text(design_example().to_json(), encoding="utf-8")
    out = tmp_path / "bundle.json"
    assert heavy_modules_loaded_by("fhir", str(source), "--course", "-o", str(out)) == []
    bundle = Bundle.model_validate_json(out.read_text(encoding="utf-8"))
    assert len(bundle.entry or []) == 1 + len(design_example().course)
