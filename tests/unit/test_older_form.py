"""The message on opening a consult made with an older form (docs/design.md section 4.1): one
text for the window and ``assess``, naming each question to answer again with the old value
of each answer read anew, and the new choices of a kept medicine list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from decision_aid.consult import Upgrade, parse_consult_upgrading
from decision_aid.content import load_content
from decision_aid.older_form import new_choices_since, upgrade_lines
from tests.helpers import V1_DATA, V2_DATA, content, copy_pack, edit

if TYPE_CHECKING:
    from pathlib import Path

RAISED_V2: Final = V2_DATA / "raised-eye-pressure.v2.consult.json"
KEPT_V2: Final = V2_DATA / "medicines-kept.v2.consult.json"
# The medicines version 3 added, by their labels in the pack.
NEW_MEDICINES: Final = tuple(
    content().questions.option_label("safety.medications", medicine)
    for medicine in ("bupropion", "cyp_inhibitor_or_inducer")
)


def upgrade_of(path: Path) -> Upgrade:
    upgrade = parse_consult_upgrading(path.read_bytes())[1]
    assert upgrade is not None
    return upgrade


def test_a_version_2_file_names_each_question_to_answer_again_with_its_old_value() -> None:
    lines = upgrade_lines(upgrade_of(RAISED_V2), content().questions, RAISED_V2.name)
    assert lines[0].startswith(f"{RAISED_V2.name} was made with version 2 of the consult form")
    assert lines[1:] == [
        "- Heart attack, stroke or TIA: a new question",
        "- Dissociative disorder: a new question",
        "- Eye pressure and glaucoma: was 'Raised' (controlled open-angle glaucoma included)",
        "- Current medicines that interact: was 'None of these'",
        "- Earlier or current ketamine or esketamine treatment: a new question",
        "- Suicide risk today: assessed today, outcome not recorded",
    ]


def test_a_kept_medicine_list_is_reminded_of_the_two_new_options() -> None:
    upgrade = upgrade_of(KEPT_V2)
    assert upgrade.new_choices == ("safety.medications",)
    assert new_choices_since(2, "safety.medications") == ("bupropion", "cyp_inhibitor_or_inducer")
    lines = upgrade_lines(upgrade, content().questions)
    assert lines[0].startswith("This consult was made with version 2")
    # "no" carried over as "not assessed": nothing to answer again about it.
    assert not any("Suicide risk" in line for line in lines)
    assert not any("was 'None of these'" in line for line in lines)
    assert lines[-1] == (
        "- Current medicines that interact: kept as ticked; the older form did not offer two "
        f"new options: {'; '.join(NEW_MEDICINES)}. Ask about them too."
    )


def test_a_version_1_file_shows_its_psychosis_answer_and_its_empty_lists() -> None:
    lines = upgrade_lines(
        upgrade_of(V1_DATA / "psychosis-history.v1.consult.json"), content().questions
    )
    assert "- Psychosis: was 'History of psychosis' (one past episode or a chronic disorder)" in (
        lines
    )
    assert "- Bipolar disorder: a new question" in lines
    assert all(name in lines[-1] for name in ("Gabapentinoid", *NEW_MEDICINES))
    lines = upgrade_lines(upgrade_of(V1_DATA / "may-discuss.v1.consult.json"), content().questions)
    # Version 1's empty list meant "none of these" or "not asked": the message says both.
    assert "- Current medicines that interact: was empty ('None of these', or not asked)" in lines


def test_the_command_line_adds_each_question_s_path() -> None:
    lines = upgrade_lines(upgrade_of(RAISED_V2), content().questions, paths=True)
    assert "- Eye pressure and glaucoma (safety.intraocular_pressure): was 'Raised'" in (
        " ".join(lines)
    )
    assert "- Suicide risk today (decision.suicide_risk): assessed today" in " ".join(lines)


def test_a_pack_without_earlier_answers_shows_the_value_as_the_file_had_it(
    tmp_path: Path,
) -> None:
    pack = copy_pack(tmp_path / "pack", fonts=False)
    edit(
        pack / "questions.yaml",
        "        earlier_answers:\n          raised: was 'Raised' (controlled open-angle "
        "glaucoma included)\n",
        "",
    )
    questions = load_content(pack).questions
    lines = upgrade_lines(upgrade_of(RAISED_V2), questions)
    # Never the value's label now ("Raised, angle-closure or uncontrolled glaucoma"): its
    # meaning is what changed.
    assert "- Eye pressure and glaucoma: was 'raised'" in lines
