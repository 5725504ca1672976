"""A pack that could mislead is refused (issue 25, item 4): a repeated mapping key, a control
or format character in any text, look-alike labels within a question, a citation with no
visible character, a translation of pack.yaml's texts made from older words; and what the
command line prints of a pack's texts is escaped."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from decision_aid.cli import main
from decision_aid.content import ContentError, load_content
from tests.helpers import edit

if TYPE_CHECKING:
    from pathlib import Path


def refused(pack: Path) -> ContentError:
    with pytest.raises(ContentError) as caught:
        load_content(pack)
    return caught.value


# --- repeated mapping keys -----------------------------------------------------------------


def test_a_second_caution_liver_is_refused(pack: Path) -> None:
    rules = pack / "rules.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8")
        + "  caution.liver:\n"
        + "    title: Liver risk\n"
        + "    text: No liver tests are needed.\n"
        + "    citations: [cohen2018]\n",
        encoding="utf-8",
    )
    error = refused(pack)
    assert error.file == "rules.yaml"
    assert "rules.caution.liver" in error.problem
    assert "twice" in error.problem


def test_a_second_next_review_is_refused(pack: Path) -> None:
    info = pack / "pack.yaml"
    info.write_text(info.read_text(encoding="utf-8") + "next_review: 2099-01-01\n")
    error = refused(pack)
    assert error.file == "pack.yaml"
    assert "next_review" in error.problem
    assert "twice" in error.problem


def test_a_key_repeated_in_another_quoting_is_refused(pack: Path) -> None:
    edit(pack / "questions.yaml", "          severe: Severe\n", '          "severe": Severe\n')
    edit(
        pack / "questions.yaml",
        "          none: None\n",
        "          none: None\n          'none': X\n",
    )
    error = refused(pack)
    assert error.file == "questions.yaml"
    assert "options.none" in error.problem


# --- control and format characters ---------------------------------------------------------


@pytest.mark.parametrize(
    ("character", "name"),
    [
        ("\\e[8m", "U+001B"),
        ("\\x9b", "U+009B"),
        ("\\u200b", "U+200B"),
        ("\\u202e", "U+202E"),
        ("\\u2066", "U+2066"),
        ("\\ufeff", "U+FEFF"),
        ("\\t", "U+0009"),
        ("\\u2028", "U+2028"),
    ],
)
def test_a_control_or_format_character_in_a_rule_text_is_refused(
    pack: Path, character: str, name: str
) -> None:
    edit(pack / "rules.yaml", "    title: Liver risk", f'    title: "Liver{character} risk"')
    error = refused(pack)
    assert error.file == "rules.yaml"
    assert "rules.caution.liver.title" in error.problem
    assert name in error.problem


@pytest.mark.parametrize(
    ("file", "old", "new", "where"),
    [
        (
            "handout/es.yaml",
            "references_title: Fuentes",
            'references_title: "Fuen\\u200btes"',
            "references_title",
        ),
        (
            "pack.yaml",
            "research_date: December 2026",
            'research_date: "December\\u200e 2026"',
            "research_date",
        ),
        (
            "evidence.yaml",
            "    short: Cohen 2018",
            '    short: "Cohen\\u00ad 2018',
            "sources.cohen2018.short",
        ),
        (
            "questions.yaml",
            "          severe: Severe",
            '          "sev\\u200bere": Severe',
            "options",
        ),
    ],
)
def test_a_format_character_in_any_file_is_refused(
    pack: Path, file: str, old: str, new: str, where: str
) -> None:
    if file == "evidence.yaml":
        new += ' (ASRA/AAPM/ASA guideline)"'
        old += " (ASRA/AAPM/ASA guideline)"
    edit(pack / file, old, new)
    error = refused(pack)
    assert error.file == file
    assert where in error.problem


def test_a_raw_zero_width_space_is_refused(pack: Path) -> None:
    edit(pack / "questions.yaml", "          none: None\n", "          none: None\u200b\n")
    error = refused(pack)
    assert error.file == "questions.yaml"
    assert "U+200B" in error.problem


# --- look-alike labels and invisible citations ---------------------------------------------


@pytest.mark.parametrize("label", ["None", "none", "  None ", "Ｎｏｎｅ", "None\u00a0"])
def test_identical_labels_within_a_question_are_refused(pack: Path, label: str) -> None:
    edit(pack / "questions.yaml", "          severe: Severe", f'          severe: "{label}"')
    error = refused(pack)
    assert error.file == "questions.yaml"
    assert "safety.liver" in error.problem
    assert "none" in error.problem
    assert "severe" in error.problem


def test_the_same_label_in_two_questions_is_allowed(pack: Path) -> None:
    load_content(pack)  # "None" is a label of several questions in the built-in pack


@pytest.mark.parametrize("text", ["\\u3164", "\\u2800", "\\u115f", "\\u00a0\\u3000"])
def test_a_citation_with_no_visible_character_is_refused(pack: Path, text: str) -> None:
    edit(
        pack / "evidence.yaml",
        "    short: Cohen 2018 (ASRA/AAPM/ASA guideline)",
        f'    short: "{text}"',
    )
    error = refused(pack)
    assert error.file == "evidence.yaml"
    assert "sources.cohen2018.short" in error.problem


# --- every language's pack_texts against pack.yaml ------------------------------------------


# A reviewer's qualification, in pack.yaml and in the English pack_texts (the first language's
# words must match pack.yaml), but not yet in the Spanish translation's translated_from.
OLD_REVIEWER = "qualification: a clinician who treats patients"
NEW_REVIEWER = "qualification: a rheumatologist"


def test_a_translation_of_an_older_reviewer_is_refused(pack: Path) -> None:
    old, new = OLD_REVIEWER, NEW_REVIEWER
    edit(pack / "pack.yaml", old, new)
    edit(pack / "handout" / "en.yaml", old, new)
    error = refused(pack)
    assert error.file == "handout/es.yaml"
    assert "pack_texts" in error.problem
    assert "reviewers" in error.problem


def test_check_install_names_the_stale_translation(
    pack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = OLD_REVIEWER, NEW_REVIEWER
    edit(pack / "pack.yaml", old, new)
    edit(pack / "handout" / "en.yaml", old, new)
    assert main(["--check-install", "--content", str(pack)]) == 3
    out = capsys.readouterr().out
    assert "FAIL content pack: handout/es.yaml: " in out
    assert "reviewers" in out


# --- what the command line prints -----------------------------------------------------------


def test_assess_escapes_control_characters_of_the_text_it_prints(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from decision_aid import cli

    monkeypatch.setattr(
        cli, "format_assessment", lambda *_: "Status\x1b[8m hidden\u202e \u200b\x9b done\nnext"
    )
    from tests.helpers import EXAMPLES

    assert main(["assess", str(EXAMPLES / "may-discuss.consult.json")]) == 0
    out = capsys.readouterr().out
    assert out == "Status\\x1b[8m hidden\\u202e \\u200b\\x9b done\nnext\n"


def test_json_output_escapes_them_as_json_reads_them_back() -> None:
    import json

    from decision_aid.cli import terminal_safe

    data = {"text": "a\x1bb\u200bc\x9b\U000f0000\n"}
    shown = terminal_safe(json.dumps(data, ensure_ascii=False), json_form=True)
    assert shown.isascii()
    assert json.loads(shown) == data


def test_the_note_is_escaped_too(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import decision_aid.note
    from tests.helpers import EXAMPLES

    monkeypatch.setattr(decision_aid.note, "clinician_note", lambda *_: "Not advised\x1b[8m")
    assert main(["note", str(EXAMPLES / "may-discuss.consult.json")]) == 0
    assert capsys.readouterr().out == "Not advised\\x1b[8m\n"
