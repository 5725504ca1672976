"""The command line as a user runs it: output, exit codes, and one-line errors."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from decision_aid.catalogue import Status
from decision_aid.cli import main
from tests.helpers import EXAMPLES, V2_DATA, example_paths, safe_consult

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize("path", example_paths(), ids=lambda path: path.name)
def test_assess_json_of_every_example(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"status", "bounds", "urgent", "findings", "missing", "schema_upgrade"}
    best, worst = (Status(result["bounds"][end]) for end in ("best", "worst"))
    assert best.rank <= worst.rank
    if not result["missing"]:
        assert best is worst is Status(result["status"])
    assert result["schema_upgrade"] is None
    assert result["status"] in path.name.replace("-", "_") or "urgent" in path.name
    for finding in [*result["urgent"], *result["findings"]]:
        assert {"rule", "level", "citations", "urgent", "fired_by"} <= set(finding)
    assert all(isinstance(path, str) and "." in path for path in result["missing"])


def test_assess_text_shows_reasons_and_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(EXAMPLES / "specialist-review-controlled-bp.consult.json")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Status: Specialist review needed")
    assert "caution.cardiovascular" in out
    assert "Because: Heart disease or high blood pressure = Controlled" in out
    assert "Sources: Cohen 2018" in out


def test_assess_text_lists_what_is_missing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(EXAMPLES / "incomplete-halfway.consult.json")]) == 0
    out = capsys.readouterr().out
    assert "Still unknown (required):" in out
    assert "(safety.liver)" in out


def test_assess_json_names_missing_answers_and_conflicts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "visit.consult.json"
    consult = safe_consult(
        safety={"medications": None},
        substance_use={"status": "none", "substances": ["sedatives"]},
    )
    path.write_text(consult.to_json(), encoding="utf-8")
    assert main(["assess", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "incomplete"
    assert result["missing"] == ["safety.medications"]
    levels = {finding["rule"]: finding["level"] for finding in result["findings"]}
    assert levels["check.substances_vs_status"] == "check"


def test_assess_text_of_a_kept_version_2_file_says_what_to_answer_again(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["assess", str(V2_DATA / "raised-eye-pressure.v2.consult.json")]) == 0
    out = capsys.readouterr().out
    head, _, rest = out.partition("\n\nStatus: ")
    lines = head.splitlines()
    assert lines[0].startswith("This consult was made with version 2 of the consult form")
    assert lines[1:] == [
        "  - Heart attack, stroke or TIA (safety.heart_or_stroke_event): a new question",
        "  - Dissociative disorder (safety.dissociative_disorder): a new question",
        "  - Eye pressure and glaucoma (safety.intraocular_pressure): was 'Raised' (controlled "
        "open-angle glaucoma included)",
        "  - Current medicines that interact (safety.medications): was 'None of these'",
        "  - Earlier or current ketamine or esketamine treatment (ketamine_exposure.status): a "
        "new question",
        "  - Suicide risk today (decision.suicide_risk): assessed today, outcome not recorded",
    ]
    assert rest.startswith("Incomplete")
    assert "(safety.heart_or_stroke_event)" in rest.partition("Still unknown (required):")[2]
    assert main(["assess", str(V2_DATA / "medicines-kept.v2.consult.json")]) == 0
    out = capsys.readouterr().out.partition("\n\nStatus: ")[0]
    assert "  - Current medicines that interact (safety.medications): kept as ticked; " in out
    assert "Bupropion" in out


def test_assess_json_of_a_version_2_file_gives_the_old_values(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["assess", str(V2_DATA / "raised-eye-pressure.v2.consult.json"), "--json"]) == 0
    upgrade = json.loads(capsys.readouterr().out)["schema_upgrade"]
    assert upgrade == {
        "from_version": 2,
        "answer_again": [
            "safety.heart_or_stroke_event",
            "safety.dissociative_disorder",
            "safety.intraocular_pressure",
            "safety.medications",
            "ketamine_exposure.status",
            "decision.suicide_risk",
        ],
        "was": {
            "safety.intraocular_pressure": "raised",
            "safety.medications": [],
            "decision.suicide_risk": "yes",
        },
        "new_choices": [],
    }
    assert main(["assess", str(V2_DATA / "medicines-kept.v2.consult.json"), "--json"]) == 0
    upgrade = json.loads(capsys.readouterr().out)["schema_upgrade"]
    assert upgrade["was"] == {}
    assert upgrade["new_choices"] == ["safety.medications"]


def test_urgent_is_printed_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(EXAMPLES / "urgent-self-harm-trd-es.consult.json")]) == 0
    out = capsys.readouterr().out
    assert out.index("URGENT") < out.index("Findings:")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"safety": {"liver": "bad"}}', 'safety.liver: "bad" is not allowed'),
        (b"{", "not valid JSON"),
        (b"\xff\xfe\xfa", "not"),
        (b'{"schema_version": 9}', "newer decision-aid"),
        (b'{"patient": {"name": "x"}}', "patient.name: unknown field"),
    ],
)
def test_bad_file_exits_2_with_one_line(
    tmp_path: Path, content: bytes, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "visit.consult.json"
    bad.write_bytes(content)
    with pytest.raises(SystemExit) as exit_info:
        main(["assess", str(bad)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"decision-aid: error: {bad}: ")
    assert message in err


def test_note_prints_the_decision_and_handout_lines(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["note", str(EXAMPLES / "may-discuss.consult.json")]) == 0
    lines = capsys.readouterr().out.splitlines()
    decision = next(line for line in lines if line.startswith("Decision: "))
    assert "SURE 3/4" in decision
    assert "Handout: no handout given yet." in lines


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        # The handout's language is the consult's answer: the note does not take one.
        (["note", "FILE", "--lang", "es"], "unrecognized arguments: --lang es"),
        (["assess"], "assess: the following arguments are required: FILE"),
        (["nonsense"], "invalid choice: 'nonsense'"),
        (["handout", "FILE", "-o", "x.pdf", "--paper", "a5"], "argument --paper"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    file = str(EXAMPLES / "may-discuss.consult.json")
    with pytest.raises(SystemExit) as exit_info:
        main([file if word == "FILE" else word for word in arguments])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("decision-aid: error: ")
    assert message in captured.err
    assert captured.err.rstrip().endswith("(see --help)")


@pytest.mark.parametrize("kind", ["missing", "folder", "huge"])
def test_unreadable_paths_exit_2(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.consult.json"
    if kind == "folder":
        path.mkdir()
    elif kind == "huge":
        path.write_bytes(b" " * 2_000_000 + b"{}")
    with pytest.raises(SystemExit) as exit_info:
        main(["assess", str(path)])
    assert exit_info.value.code == 2
    assert str(path) in capsys.readouterr().err


def test_broken_content_pack_exits_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DECISION_AID_CONTENT", str(tmp_path))
    with pytest.raises(SystemExit) as exit_info:
        main(["assess", str(EXAMPLES / "may-discuss.consult.json")])
    assert exit_info.value.code == 3
    assert "pack.yaml: missing from the content pack" in capsys.readouterr().err


def test_check_install_fails_when_the_pack_does_not_say_who_wrote_it() -> None:
    from decision_aid.install_check import _check_about
    from tests.helpers import content

    loaded = content()
    unsaid = loaded.model_copy(update={"pack": loaded.pack.model_copy(update={"authors": ()})})
    assert _check_about(loaded).startswith("who wrote, paid for and checked the content is stated")
    with pytest.raises(RuntimeError, match=r"^pack.yaml: authors is empty"):
        _check_about(unsaid)


# --- decision-aid handout --large-print -------------------------------------------------------


@pytest.mark.parametrize("large_print", [False, True])
def test_handout_large_print_reaches_the_renderer_and_writes_the_pdf(
    large_print: bool,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from decision_aid.handout import _pdf

    real_render = _pdf.render
    asked: list[bool] = []

    def render(*arguments: Any, large_print: bool = False) -> bytes:
        asked.append(large_print)
        return real_render(*arguments, large_print=large_print)

    monkeypatch.setattr(_pdf, "render", render)
    out = tmp_path / "large.pdf"
    flag = ["--large-print"] if large_print else []
    file = str(EXAMPLES / "may-discuss.consult.json")
    assert main(["handout", file, "-o", str(out), *flag]) == 0
    assert capsys.readouterr().err == ""
    assert asked == [large_print]
    assert out.read_bytes().startswith(b"%PDF")
    assert [path.name for path in tmp_path.iterdir()] == ["large.pdf"]


def test_handout_help_names_large_print(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["handout", "--help"])
    assert exit_info.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "[--large-print]" in out
    assert "--large-print 16 pt body text, up to 6 pages, for readers with low vision" in out


def test_large_print_is_a_keyword_of_render_handout() -> None:
    import inspect

    from decision_aid.handout import render_handout

    parameter = inspect.signature(render_handout).parameters["large_print"]
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
    assert parameter.default is False


@pytest.mark.parametrize(
    ("arguments", "kept", "file"),
    [
        (["a.consult.json"], [], "a.consult.json"),
        (["--content", "pack", "a.consult.json"], ["--content", "pack"], "a.consult.json"),
        (["--exit-after-startup", "a.consult.json"], ["--exit-after-startup"], "a.consult.json"),
        (["assess", "a.consult.json"], ["assess", "a.consult.json"], None),
        (["--", "assess"], [], "assess"),
        (["nonsense"], ["nonsense"], None),  # a mistyped command stays a usage error
        ([], [], None),
    ],
)
def test_a_file_given_alone_is_the_consult_to_open(
    arguments: list[str], kept: list[str], file: str | None
) -> None:
    from decision_aid.file_arguments import split_consult_file

    assert split_consult_file(arguments) == (kept, file)
