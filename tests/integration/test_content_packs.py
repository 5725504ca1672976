"""Clinic content packs: used by every command, refused when broken, never silently replaced."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

import pytest
from pypdf import PdfReader

from decision_aid.handout import _pdf
from tests.helpers import EXAMPLES, copy_pack, edit, run_command

if TYPE_CHECKING:
    import subprocess
    from pathlib import Path

EXAMPLE = str(EXAMPLES / "standard-care-first.consult.json")


def run(*arguments: str, pack: Path | None = None) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "DECISION_AID_CONTENT"}
    if pack is not None:
        environment["DECISION_AID_CONTENT"] = str(pack)
    return run_command(*arguments, env=environment)


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    copy = copy_pack(tmp_path / "clinic-pack")
    pack_file = copy / "pack.yaml"
    text = pack_file.read_text(encoding="utf-8")
    pack_file.write_text(
        text.replace("name: decision-aid built-in content", "name: Riverside Clinic pack"),
        encoding="utf-8",
    )
    # The pack's name is one of the texts every language says (pack_texts.name), and the
    # Spanish translation names the pack.yaml words it translates.
    edit(
        copy / "handout" / "en.yaml",
        "  name: decision-aid built-in content\n",
        "  name: Riverside Clinic pack\n",
    )
    edit(
        copy / "handout" / "es.yaml",
        "    name: decision-aid built-in content\n",
        "    name: Riverside Clinic pack\n",
    )
    return copy


@pytest.mark.slow
def test_an_edited_pack_changes_the_note_by_environment_and_by_option(pack: Path) -> None:
    edit(
        pack / "rules.yaml",
        "Guideline care comes first",
        "Riverside protocol: guideline care first",
    )
    by_environment = run("note", EXAMPLE, pack=pack)
    by_option = run("note", EXAMPLE, "--content", str(pack))
    builtin = run("note", EXAMPLE)
    for result in (by_environment, by_option):
        assert result.returncode == 0, result.stderr
        assert "Riverside protocol" in result.stdout
        assert "Riverside Clinic pack 2026.12.0" in result.stdout
    assert "Riverside" not in builtin.stdout


@pytest.mark.slow
def test_an_edited_pack_changes_the_handout(pack: Path, tmp_path: Path) -> None:
    edit(pack / "handout" / "en.yaml", "The choice:", "The choice (Riverside):")
    output = tmp_path / "handout.pdf"
    result = run("handout", EXAMPLE, "-o", str(output), "--content", str(pack))
    assert result.returncode == 0, result.stderr
    text = "".join(page.extract_text() for page in PdfReader(output).pages)
    assert "The choice (Riverside):" in text
    assert "Riverside Clinic pack" in text


BROKEN = [
    (
        "rules.yaml",
        "citations: [chan2022]",
        "citations: [chan2099]",
        "rules.yaml: rules.caution.urinary cites 'chan2099'",
    ),
    ("rules.yaml", "rules:\n", "rules: [\n", "rules.yaml: invalid YAML at line"),
    (
        "evidence.yaml",
        "  pastrak2021:\n",
        "  pastrak2021:\n    colour: red\n",
        "evidence.yaml: sources.pastrak2021.colour: unknown field",
    ),
    (
        "evidence.yaml",
        "events: 8, total: 12",
        "events: eight, total: 12",
        "evidence.yaml: figures.fm_relief_15min.arms[0].events: expected a whole number",
    ),
    (
        "pack.yaml",
        "next_review: 2027-12-01",
        "next_review: 2026-01-01",
        "pack.yaml: next_review must come after last_reviewed",
    ),
    ("questions.yaml", "label: Liver disease", "label: ''", "questions.yaml"),
    ("handout/es.yaml", "de {total} personas", "de {total} personas {oops}", "handout/es.yaml"),
    (
        "rules.yaml",
        "Age {age}: out",
        "Age {age:>300000000}: out",
        "rules.yaml: rules.stop.age.text: placeholder {age:>300000000} is not allowed",
    ),
    (
        "handout/en.yaml",
        "[[wolfe2016]].",
        "[[]].",
        "handout/en.yaml: condition: citation mark [[]] has an empty key",
    ),
    (
        "pack.yaml",
        "authors:\n",
        "writers:\n",
        "pack.yaml: authors: required here but missing",
    ),
    (
        "pack.yaml",
        "funded_by: none",
        "funded_by: No drug maker, infusion clinic or insurer paid for it.",
        "pack.yaml: funded_by: names who did not pay",
    ),
    (
        # A clinic pack written for version 2 of the handout: one line says what changed.
        "pack.yaml",
        "funded_by: none",
        "funding: No drug maker, infusion clinic or insurer paid for it.",
        "pack.yaml: made_by, funding and reviewed_by were replaced by authors",
    ),
    (
        "pack.yaml",
        "funded_by:",
        "also: &a x\nfunded_by:",
        "pack.yaml: YAML anchors and aliases are not allowed (line",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("file", "old", "new", "message"), BROKEN, ids=[row[0] + ":" + row[3][:30] for row in BROKEN]
)
def test_a_broken_pack_is_refused_with_the_file_named(
    pack: Path, file: str, old: str, new: str, message: str
) -> None:
    edit(pack / file, old, new)
    result = run("assess", EXAMPLE, pack=pack)
    assert result.returncode == 3
    assert result.stdout == ""  # never the built-in pack's answer instead
    assert "Traceback" not in result.stderr
    assert message in result.stderr
    check = run("--check-install", pack=pack)
    assert check.returncode == 3
    assert f"FAIL content pack: {file}" in check.stdout


@pytest.mark.slow
def test_a_missing_file_or_folder_is_refused(pack: Path, tmp_path: Path) -> None:
    (pack / "questions.yaml").unlink()
    result = run("assess", EXAMPLE, pack=pack)
    assert result.returncode == 3
    assert "questions.yaml: missing from the content pack" in result.stderr
    nowhere = run("assess", EXAMPLE, pack=tmp_path / "nowhere")
    assert nowhere.returncode == 3
    assert "the content pack folder does not exist" in nowhere.stderr


@pytest.mark.slow
def test_check_install_refuses_a_pack_whose_longest_handout_is_over_its_pages(
    pack: Path,
) -> None:
    """The page limits hold for a clinic's texts too: a Spanish teach-back paragraph forty
    times as long makes the longest consult's handout too long, and the file is named."""
    sentence = "Diga a su equipo, con sus palabras, sus opciones y su próximo paso."
    edit(pack / "handout" / "es.yaml", sentence, " ".join([sentence] * 40))
    check = run("--check-install", pack=pack)
    assert check.returncode == 3, check.stdout
    failed = [line for line in check.stdout.splitlines() if line.startswith("FAIL")]
    assert len(failed) == 1, check.stdout
    assert failed[0].startswith("FAIL handout: the longest consult's handout needs ")
    assert f" pages in es on letter (limit {_pdf.MAX_PAGES})" in failed[0]
    assert failed[0].endswith("shorten handout/es.yaml")
    assert "in large print" in failed[0]
    assert " en " not in failed[0]


@pytest.mark.slow
def test_check_install_passes_for_the_built_in_pack() -> None:
    result = run("--check-install")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FAIL" not in result.stdout
    assert "ok   content pack: decision-aid built-in content" in result.stdout
    assert "ok   clinician note: " in result.stdout
    assert "ok   about: who wrote, paid for and checked the content is stated" in result.stdout
    # Within the renderer's ceilings, and said to be over the design's budget.
    taken = re.search(
        r"the longest consult takes (\d+) pages \((\d+) in large print; the design", result.stdout
    )
    assert taken is not None, result.stdout
    assert int(taken[1]) <= _pdf.MAX_PAGES
    assert int(taken[2]) <= _pdf.MAX_LARGE_PAGES
    assert result.stdout.endswith("decision-aid is ready.\n")


@pytest.mark.slow
def test_check_install_reports_the_pack_in_use(pack: Path) -> None:
    result = run("--check-install", pack=pack)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok   content pack: Riverside Clinic pack 2026.12.0" in result.stdout
    assert str(pack) in result.stdout
    assert "ok   handout: rendered in memory" in result.stdout
    assert "ok   FHIR export" in result.stdout


@pytest.mark.slow
def test_a_pack_past_its_review_date_still_works_and_says_so(pack: Path) -> None:
    edit(pack / "pack.yaml", "last_reviewed: 2026-12-01", "last_reviewed: 2020-01-01")
    edit(pack / "pack.yaml", "next_review: 2027-12-01", "next_review: 2021-01-01")
    check = run("--check-install", pack=pack)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "next review 2021-01-01 - OVERDUE FOR REVIEW" in check.stdout
    note = run("note", EXAMPLE, "--content", str(pack))
    assert note.returncode == 0, note.stderr
    assert "Content overdue for review" in note.stdout
    assert "overdue" not in run("note", EXAMPLE).stdout


def test_the_option_wins_over_the_environment_which_wins_over_the_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from decision_aid.content import builtin_pack, pack_directory

    assert pack_directory() == builtin_pack()
    assert str(pack_directory("/setting")) == "/setting"
    monkeypatch.setenv("DECISION_AID_CONTENT", "/environment")
    assert str(pack_directory("/setting")) == "/environment"
    assert str(pack_directory("/setting", option="/option")) == "/option"


@pytest.mark.slow
def test_content_option_overrides_a_broken_pack_in_the_environment(
    pack: Path, tmp_path: Path
) -> None:
    result = run("assess", EXAMPLE, "--content", str(pack), pack=tmp_path / "nowhere")
    assert result.returncode == 0, result.stderr
    assert "Riverside Clinic pack" in result.stdout
    check = run("--content", str(pack), "--check-install", pack=tmp_path / "nowhere")
    assert check.returncode == 0, check.stdout
    assert "ok   content pack: Riverside Clinic pack" in check.stdout


# ---------------------------------------------------------------------------------------------
# A pack offers some of the program's languages (issue 21, item 5; docs/design.md section 3)

SPANISH_EXAMPLE = str(EXAMPLES / "crps-may-discuss-es.consult.json")


def english_only_pack(destination: Path) -> Path:
    """A copy of the built-in pack that offers a handout in English only."""
    pack = copy_pack(destination)
    (pack / "handout" / "es.yaml").unlink()
    edit(pack / "questions.yaml", "          es: Spanish (español)\n", "")
    return pack


def test_a_pack_may_offer_only_some_languages(tmp_path: Path) -> None:
    from decision_aid.consult import Language
    from decision_aid.content import load_content

    loaded = load_content(english_only_pack(tmp_path / "pack"))
    assert loaded.languages == {Language.EN: "English"}
    assert list(loaded.handout) == [Language.EN]
    assert load_content().languages == {Language.EN: "English", Language.ES: "Spanish (español)"}


def test_a_language_the_pack_offers_needs_its_handout_file(tmp_path: Path) -> None:
    from decision_aid.content import ContentError, load_content

    pack = copy_pack(tmp_path / "pack")
    (pack / "handout" / "es.yaml").unlink()
    with pytest.raises(ContentError) as caught:
        load_content(pack)
    assert str(caught.value) == f"handout/es.yaml: missing from the content pack at {pack}"


def test_a_handout_file_of_a_language_the_pack_does_not_offer_is_refused(tmp_path: Path) -> None:
    from decision_aid.content import ContentError, load_content

    pack = copy_pack(tmp_path / "pack")
    edit(pack / "questions.yaml", "          es: Spanish (español)\n", "")
    with pytest.raises(ContentError, match=r"^handout/es\.yaml: questions\.yaml does not offer es"):
        load_content(pack)


@pytest.mark.parametrize(
    ("options", "why"),
    [
        ("          en: English\n          fr: French\n", "fr is not a language of the program"),
        ("          es: Spanish (español)\n          en: English\n", "the program's order"),
        ("          {}\n", "none at all"),
    ],
)
def test_the_offered_languages_are_some_of_the_programs_in_its_order(
    tmp_path: Path, options: str, why: str
) -> None:
    from decision_aid.content import ContentError, load_content

    pack = copy_pack(tmp_path / "pack")
    edit(
        pack / "questions.yaml", "          en: English\n          es: Spanish (español)\n", options
    )
    with pytest.raises(ContentError, match="options must be one or more of en, es") as caught:
        load_content(pack)
    assert caught.value.file == "questions.yaml", why


def test_the_handout_command_refuses_a_language_the_pack_lacks_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from decision_aid.cli import main

    pack = str(english_only_pack(tmp_path / "pack"))
    out = str(tmp_path / "handout.pdf")
    for arguments, message in (
        (
            ["--lang", "es"],
            "--lang es: the content pack has no handout in this language (it offers en)",
        ),
        (
            [],
            f"{SPANISH_EXAMPLE}: patient.handout_language is es, and the content pack has no "
            "handout in this language (it offers en; give --lang)",
        ),
        (["--lang", "fr"], "--lang fr: the content pack has no handout in this language"),
    ):
        with pytest.raises(SystemExit) as exited:
            main(["handout", SPANISH_EXAMPLE, "-o", out, "--content", pack, *arguments])
        assert exited.value.code == 2
        error = capsys.readouterr().err
        assert error.startswith(f"decision-aid: error: {message}"), error
        assert error.count("\n") == 1, error
        assert not os.path.exists(out)
    assert main(["handout", SPANISH_EXAMPLE, "-o", out, "--content", pack, "--lang", "en"]) == 0
    assert PdfReader(out).pages


def test_the_note_names_a_language_the_pack_lacks_by_its_code(tmp_path: Path) -> None:
    from decision_aid.consult import Consult, HandoutGiven, Language, Paper
    from decision_aid.content import load_content
    from decision_aid.note import clinician_note
    from decision_aid.rules import assess

    loaded = load_content(english_only_pack(tmp_path / "pack"))
    consult = Consult()
    consult.decision.handout = HandoutGiven(
        language=Language.ES, paper=Paper.A4, content_stamp=loaded.stamp
    )
    assert "\nHandout given: es, A4.\n" in clinician_note(consult, assess(consult, loaded), loaded)


@pytest.mark.slow
def test_check_install_checks_only_the_languages_the_pack_offers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from decision_aid.install_check import check_install

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    lines: list[str] = []
    assert check_install(str(english_only_pack(tmp_path / "pack")), lines.append), lines
    (handout,) = [line for line in lines if line.startswith("ok   handout: ")]
    assert handout.startswith("ok   handout: rendered in memory in en (")
    assert ", es (" not in handout
