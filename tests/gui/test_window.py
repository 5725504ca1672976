"""The window driven as a clinician would, through the widgets' own API."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QGuiApplication, QKeySequence

from decision_aid import clock
from decision_aid.consult import ALWAYS_REQUIRED, ANSWERS, Consult, Need
from decision_aid.files import OutputError, read_consult_file
from decision_aid.handout import _pdf
from decision_aid.older_form import upgrade_lines
from decision_aid.ui import dialogs
from decision_aid.ui.questions import (
    ChoiceQuestion,
    ListQuestion,
    NumberQuestion,
    TreatmentsQuestion,
)
from decision_aid.ui.settings import ClinicSettings
from tests.helpers import EXAMPLES, REPO, V2_DATA, content, copy_pack, safe_consult

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from PySide6.QtWidgets import QWidget
    from pytestqt.qtbot import QtBot

    from decision_aid.consult import Upgrade
    from decision_aid.ui.main_window import MainWindow
    from decision_aid.ui.printing import PrintOptions

SAFE_EXAMPLE = EXAMPLES / "may-discuss.consult.json"


def question(window: MainWindow, field: str) -> Any:
    for page in window.step_pages:
        for widget in page.questions:
            if widget.question.field == field:
                return widget
    raise KeyError(field)


def choose(qtbot: QtBot, window: MainWindow, field: str, value: str) -> None:
    widget = question(window, field)
    assert isinstance(widget, ChoiceQuestion)
    with qtbot.waitSignal(window.session.assessment_changed):
        widget.buttons[value].setChecked(True)


def enter_number(widget: NumberQuestion, value: int | None) -> None:
    """Types a number into the box (or clears it for "not known"), then Return: keys, as a
    clinician gives them."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.keyClick(widget.spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if value is None:
        QTest.keyClick(widget.spin, Qt.Key.Key_Backspace)
    else:
        QTest.keyClicks(widget.spin, str(value))
    QTest.keyClick(widget.spin, Qt.Key.Key_Return)


def status_text(window: MainWindow) -> str:
    return window.panel.status.text()


def test_starts_empty_and_incomplete(window: MainWindow) -> None:
    assert window.session.consult == Consult()
    assert "Incomplete" in status_text(window)
    # The Safety step asks the safety questions and earlier or current ketamine.
    safety = [p for p in ALWAYS_REQUIRED if p.startswith(("safety.", "ketamine_exposure."))]
    assert window.steps.item(4).text() == f"5. Safety  ({len(safety)} unknown)"
    # Nothing is answered yet, so no step looks done.
    assert not any("✓" in window.steps.item(row).text() for row in range(window.steps.count()))
    assert f"Still unknown ({len(ALWAYS_REQUIRED)})" in window.panel.missing.text()
    # What the unknown answers can still make of it (docs/design.md section 5).
    assert (
        "Whatever the remaining answers: not better than standard care first; at worst not "
        "advised." in status_text(window)
    )


def test_an_untried_treatment_shows_no_outcome(qtbot: QtBot, window: MainWindow) -> None:
    from decision_aid.consult import Therapy

    treatments = question(window, "prior_treatments")
    box, combo = treatments.tried[Therapy.TRAMADOL], treatments.outcomes[Therapy.TRAMADOL]
    assert (combo.currentText(), combo.isEnabled()) == ("", False)
    with qtbot.waitSignal(window.session.assessment_changed):
        box.setChecked(True)
    assert combo.isEnabled()
    assert "✓" not in window.steps.item(2).text()  # an outcome is still to be recorded
    # Ticked, it is tried with an outcome not recorded: no outcome is assumed.
    assert combo.currentData() == "unknown" == window.session.consult.prior_treatments[0].outcome
    assert combo.currentText() == "Not recorded"
    with qtbot.waitSignal(window.session.assessment_changed):
        box.setChecked(False)
    assert (combo.currentText(), combo.isEnabled()) == ("", False)
    assert window.session.consult.prior_treatments == []


def test_a_whole_consult_through_the_widgets(qtbot: QtBot, window: MainWindow) -> None:
    number = question(window, "patient.age_years")
    assert isinstance(number, NumberQuestion)
    with qtbot.waitSignal(window.session.assessment_changed):
        enter_number(number, 52)
    choose(qtbot, window, "patient.pregnancy", "not_applicable")
    choose(qtbot, window, "fibromyalgia.diagnosis", "confirmed")
    treatments = question(window, "prior_treatments")
    assert isinstance(treatments, TreatmentsQuestion)
    for therapy, outcome_index in (("exercise", 1), ("duloxetine", 0), ("pregabalin", 2)):
        from decision_aid.consult import Therapy

        box = treatments.tried[Therapy(therapy)]
        with qtbot.waitSignal(window.session.assessment_changed):
            box.setChecked(True)
        combo = treatments.outcomes[Therapy(therapy)]
        if combo.currentIndex() != outcome_index:
            with qtbot.waitSignal(window.session.assessment_changed):
                combo.setCurrentIndex(outcome_index)
    # Every always-required choice (depression, safety, substance use) at its safest value,
    # from the table of answers, so that a new question is answered here as soon as its row
    # is written.
    for spec in ANSWERS:
        if spec.need is Need.ALWAYS and spec.risk_order and spec.path != "patient.pregnancy":
            choose(qtbot, window, spec.path, spec.risk_order[0])
    assert window.session.assessment.missing == ("safety.medications",)
    medications = question(window, "safety.medications")
    assert isinstance(medications, ListQuestion)
    assert medications.not_reviewed is not None
    assert medications.none_of_these is not None
    assert medications.not_reviewed.isChecked()
    with qtbot.waitSignal(window.session.assessment_changed):
        medications.none_of_these.setChecked(True)
    assert window.session.consult.safety.medications == []
    assert not medications.not_reviewed.isChecked()
    assert window.session.assessment.status.value == "may_discuss"
    assert "Status: IV ketamine may be discussed" in status_text(window)
    assert "remaining answers" not in status_text(window)
    assert window.steps.item(4).text() == "5. Safety ✓"
    assert [entry.outcome.value for entry in window.session.consult.prior_treatments] == [
        "partial_benefit", "no_benefit", "stopped_side_effects",
    ]  # fmt: skip

    choose(qtbot, window, "safety.cardiovascular", "poorly_controlled")
    assert "Status: Not advised" in status_text(window)
    choose(qtbot, window, "safety.cardiovascular", "controlled")
    assert "Status: Specialist review needed" in status_text(window)
    with qtbot.waitSignal(window.session.assessment_changed):
        medications.boxes["opioid"].setChecked(True)
    assert window.session.consult.safety.medications == ["opioid"]
    assert not medications.none_of_these.isChecked()
    # Unticking the last medicine goes back to "not reviewed", never to "none of these".
    with qtbot.waitSignal(window.session.assessment_changed):
        medications.boxes["opioid"].setChecked(False)
    assert window.session.answer("safety.medications") is None
    assert medications.not_reviewed.isChecked()
    assert "safety.medications" in window.session.assessment.missing


def test_phq9_item9_above_the_total_is_not_kept(qtbot: QtBot, window: MainWindow) -> None:
    total, item9 = (
        question(window, "comorbidities.phq9_total"),
        question(window, "comorbidities.phq9_item9"),
    )
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    with qtbot.waitSignal(window.session.assessment_changed):
        enter_number(total, 2)
    with qtbot.assertNotEmitted(window.session.assessment_changed):
        QTest.keyClicks(item9.spin, "3")
    assert window.session.answer("comorbidities.phq9_item9") is None
    assert not item9.refused.isHidden()
    assert "cannot exceed the PHQ-9 total" in item9.refused.text()
    QTest.keyClick(item9.spin, Qt.Key.Key_Return)
    assert item9.value is None  # the box shows again what the consult holds
    with qtbot.waitSignal(window.session.assessment_changed):
        enter_number(item9, 1)
    assert window.session.consult.comorbidities.phq9_item9 == 1
    assert item9.refused.isHidden()


def test_a_version_1_file_says_once_what_to_answer_again(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from decision_aid.ui import dialogs

    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_message", lambda _parent, _title, text: shown.append(text))
    window.open_path(REPO / "tests" / "data" / "v1" / "psychosis-history.v1.consult.json")
    assert len(shown) == 1
    assert "version 1" in shown[0]
    for label in ("Psychosis", "Bipolar disorder", "Acute porphyria"):
        assert f"- {label}" in shown[0]
    assert "- Psychosis: was 'History of psychosis'" in shown[0]
    assert window.session.consult.schema_version == 4
    assert window.session.assessment.status.value == "incomplete"
    assert "safety.psychosis" in window.session.assessment.missing
    current = tmp_path / "current.consult.json"
    current.write_text(safe_consult().to_json(), encoding="utf-8")
    window.open_path(current)
    assert len(shown) == 1  # a version 3 file says nothing


def test_a_version_2_file_says_once_what_to_answer_again_with_the_old_values(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from decision_aid.ui import dialogs

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        dialogs, "show_message", lambda _parent, title, text: shown.append((title, text))
    )
    path = V2_DATA / "raised-eye-pressure.v2.consult.json"
    window.open_path(path)
    assert len(shown) == 1
    title, text = shown[0]
    assert title == "Questions to answer again"
    # The same lines as assess prints, without the paths: one text for both.
    assert text == "\n".join(upgrade_lines(upgrade_of(path), window.content.questions, path.name))
    lines = text.splitlines()
    assert lines[0].startswith(f"{path.name} was made with version 2 of the consult form")
    for line in (
        "- Heart attack, stroke or TIA: a new question",
        "- Dissociative disorder: a new question",
        "- Earlier or current ketamine or esketamine treatment: a new question",
        "- Eye pressure and glaucoma: was 'Raised' (controlled open-angle glaucoma included)",
        "- Current medicines that interact: was 'None of these'",
        "- Suicide risk today: assessed today, outcome not recorded",
    ):
        assert line in lines
    consult = window.session.consult
    assert consult.schema_version == 4
    assert consult.safety.intraocular_pressure == "unknown"
    assert consult.safety.medications is None
    assert consult.decision.suicide_risk == "unknown"
    assert {
        "safety.heart_or_stroke_event", "safety.intraocular_pressure", "decision.suicide_risk",
    } <= set(window.session.assessment.missing)  # fmt: skip
    kept = V2_DATA / "medicines-kept.v2.consult.json"
    window.open_path(kept)
    assert len(shown) == 2
    bupropion = window.content.questions.option_label("safety.medications", "bupropion")
    assert bupropion in shown[1][1].splitlines()[-1]


def upgrade_of(path: Path) -> Upgrade:
    from decision_aid.consult import parse_consult_upgrading

    upgrade = parse_consult_upgrading(path.read_bytes())[1]
    assert upgrade is not None
    return upgrade


def test_the_decision_step_records_the_decision(qtbot: QtBot, window: MainWindow) -> None:
    window.open_path(EXAMPLES / "urgent-self-harm-trd-es.consult.json")
    assert window.session.assessment.urgent
    assert [step.id for step in window.content.questions.steps][-3:] == [
        "decision",
        "course",
        "review",
    ]
    choose(qtbot, window, "decision.leaning", "standard_option")
    choose(qtbot, window, "decision.sure.sure_of_best_choice", "yes")
    choose(qtbot, window, "decision.teach_back", "done")
    choose(qtbot, window, "decision.suicide_risk", "low")
    decision = window.session.consult.decision
    assert (decision.leaning, decision.sure.sure_of_best_choice) == ("standard_option", "yes")
    assert decision.suicide_risk == "low"
    assert window.session.assessment.urgent == ()  # an outcome recorded: no longer urgent
    finding = window.session.assessment.fired("urgent.self_harm")
    assert finding is not None
    assert not finding.urgent
    assert "SURE 1/4 (3 not asked)" in window.note_text()


def test_the_why_shows_rule_answers_and_citation(qtbot: QtBot, window: MainWindow) -> None:
    window.open_path(SAFE_EXAMPLE)
    choose(qtbot, window, "safety.liver", "mild_moderate")
    view = window.panel.view_of("caution.liver")
    assert view is not None
    assert view.why.isHidden()
    assert view.button.arrowType().name == "RightArrow"  # set by name: see FindingView
    view.button.click()
    assert not view.why.isHidden()
    assert view.button.arrowType().name == "DownArrow"
    why = view.why.text()
    # The rule by its words first, its id after for Help > Rules.
    assert "<b>Rule:</b> Caution: Liver risk" in why
    assert "(caution.liver)" in why
    assert "Liver disease: <b>Mild or moderate</b>" in why
    assert content().evidence.sources["noppers2011liver"].citation in why
    assert "PMID 21546160" in why
    # An open why stays open when the assessment changes.
    choose(qtbot, window, "safety.psychosis", "past_episode")
    reopened = window.panel.view_of("caution.liver")
    assert reopened is not None
    assert reopened.expanded


def test_urgent_banner(qtbot: QtBot, window: MainWindow) -> None:
    window.open_path(SAFE_EXAMPLE)
    assert window.panel.urgent.isHidden()
    with qtbot.waitSignal(window.session.assessment_changed):
        enter_number(question(window, "comorbidities.phq9_item9"), 2)
    assert not window.panel.urgent.isHidden()
    assert "URGENT" in window.panel.urgent.text()
    assert window.panel.finding_views[0].finding.rule == "urgent.self_harm"


def test_unknown_marks_the_step(qtbot: QtBot, window: MainWindow) -> None:
    window.open_path(SAFE_EXAMPLE)
    assert window.steps.item(5).text() == "6. Substance use ✓"
    choose(qtbot, window, "substance_use.status", "unknown")
    assert window.steps.item(5).text() == "6. Substance use  (1 unknown)"
    assert "Incomplete" in status_text(window)


def test_number_not_known_is_null(qtbot: QtBot, window: MainWindow) -> None:
    age = question(window, "patient.age_years")
    with qtbot.waitSignal(window.session.assessment_changed):
        enter_number(age, 40)
    with qtbot.waitSignal(window.session.assessment_changed):
        enter_number(age, None)
    assert window.session.consult.patient.age_years is None
    assert age.spin.text() == ""
    assert age.spin.lineEdit().placeholderText() == "not known"


def test_wpi_sss_show_criterion_1(qtbot: QtBot, window: MainWindow) -> None:
    page = window.step_pages[1]
    assert page.criterion is not None
    assert "enter both" in page.criterion.text()
    with qtbot.waitSignal(window.session.assessment_changed):
        enter_number(question(window, "fibromyalgia.wpi"), 5)
    with qtbot.waitSignal(window.session.assessment_changed):
        enter_number(question(window, "fibromyalgia.sss"), 8)
    assert "NOT met" in page.criterion.text()
    with qtbot.waitSignal(window.session.assessment_changed):
        enter_number(question(window, "fibromyalgia.sss"), 9)
    assert "criterion 1: met" in page.criterion.text()


def test_next_back_and_jumps(window: MainWindow) -> None:
    assert window.pages.currentIndex() == 0
    assert not window.back_button.isEnabled()
    window.next_button.click()
    assert window.pages.currentIndex() == 1
    window.back_button.click()
    assert window.pages.currentIndex() == 0
    window.step_actions[4].trigger()
    assert window.steps.currentRow() == 4
    window.steps.setCurrentRow(6)
    assert window.pages.currentIndex() == 6


@pytest.mark.parametrize("choice", ["save", "discard", "cancel"])
def test_new_offers_save_discard_and_cancel(
    qtbot: QtBot,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    choice: str,
) -> None:
    asked: list[str | None] = []

    def ask(parent: object, name: str | None) -> str:
        asked.append(name)
        return choice

    monkeypatch.setattr(dialogs, "ask_unsaved", ask)
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *args: tmp_path / "kept.consult.json")
    choose(qtbot, window, "safety.liver", "severe")
    answered = window.session.consult.model_copy(deep=True)
    window.new_action.trigger()
    assert asked == [None]  # an untitled consult
    if choice == "cancel":
        assert window.session.consult == answered
    else:
        assert window.session.consult == Consult()
    assert (tmp_path / "kept.consult.json").exists() is (choice == "save")
    if choice == "save":
        assert read_consult_file(tmp_path / "kept.consult.json") == answered


def test_closing_with_unsaved_answers_can_be_cancelled(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dialogs, "ask_unsaved", lambda parent, name: "cancel")
    choose(qtbot, window, "safety.liver", "none")
    assert not window.close()
    assert window.isVisible()
    monkeypatch.setattr(dialogs, "ask_unsaved", lambda parent, name: "discard")
    assert window.close()


def test_save_writes_to_the_consult_file_and_the_title_names_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    suggested: list[str] = []

    def ask(parent: object, caption: str, file_filter: str, name: str) -> Path:
        suggested.append(name)
        return tmp_path / "visit"

    monkeypatch.setattr(dialogs, "ask_save_path", ask)
    # The suggested name carries the time too: two consults of a day get different names.
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 12, 6, 10, 42))
    assert window.windowTitle().startswith("Untitled consult[*] - decision-aid")
    choose(qtbot, window, "safety.liver", "none")
    assert window.isWindowModified()
    window.activateWindow()
    qtbot.waitActive(window)
    QTest.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # asks once
    assert suggested == ["consult-2026-12-06-1042.consult.json"]
    saved = tmp_path / "visit.consult.json"
    assert window.path == saved
    assert window.windowTitle().startswith("visit.consult.json[*] - decision-aid")
    assert not window.isWindowModified()
    choose(qtbot, window, "safety.liver", "severe")
    assert window.isWindowModified()
    QTest.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # no question
    assert suggested == ["consult-2026-12-06-1042.consult.json"]
    assert read_consult_file(saved).safety.liver == "severe"
    assert window.save_pdf_action.shortcut().toString() == "Ctrl+Shift+P"
    assert "Save &handout (PDF or HTML)" in window.save_pdf_action.text()


def test_new_without_answers_does_not_ask(window: MainWindow) -> None:
    window.new_action.trigger()  # the autouse seam fails the test if a dialog opens
    assert window.session.consult == Consult()


def test_save_and_open_round_trip(
    qtbot: QtBot,
    make_window: Callable[[], MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window()
    window.open_path(EXAMPLES / "specialist-review-controlled-bp.consult.json")
    choose(qtbot, window, "safety.urinary_symptoms", "present")
    target = tmp_path / "visit"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *args: target)
    window.save_as_action.trigger()  # Save would write over the opened example
    saved = tmp_path / "visit.consult.json"
    assert read_consult_file(saved) == window.session.consult
    assert not window.session.modified

    other = make_window()
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *args: saved)
    other.open_action.trigger()
    assert other.session.consult == window.session.consult
    assert question(other, "safety.urinary_symptoms").buttons["present"].isChecked()
    assert other.settings.recent_files()[0] == str(saved)


def test_a_broken_file_keeps_the_consult(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_path(SAFE_EXAMPLE)
    before = window.session.consult.model_copy(deep=True)
    broken = tmp_path / "broken.consult.json"
    broken.write_text('{"safety": {"liver": "purple"}}', encoding="utf-8")
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: errors.append(text))
    window.open_path(broken)
    assert len(errors) == 1
    assert "safety.liver" in errors[0]
    assert window.session.consult == before


def test_a_failed_save_shows_a_message_and_keeps_the_consult(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_path(SAFE_EXAMPLE)
    choose(qtbot, window, "safety.liver", "mild_moderate")
    before = window.session.consult.model_copy(deep=True)

    def full_disk(path: Path, data: bytes, *, replace: bool = False) -> None:
        raise OutputError(f"{path}: could not be written (No space left on device)")

    errors: list[str] = []
    monkeypatch.setattr("decision_aid.ui.consult_files.write_atomic", full_disk)
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: errors.append(text))
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *args: tmp_path / "x.consult.json")
    window.save_action.trigger()
    window.save_pdf_action.trigger()
    assert len(errors) == 2
    assert all("No space left on device" in error for error in errors)
    assert window.session.consult == before
    assert window.session.modified
    assert list(tmp_path.glob("x*")) == []


def test_the_window_offers_only_the_languages_of_the_pack(qtbot: QtBot, tmp_path: Path) -> None:
    """A pack with English only (issue 21, item 5): the Patient step, Review and Settings
    offer English alone, and a Spanish consult opens, says why its preview is in English,
    and keeps its answer."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QComboBox

    from decision_aid.content import load_content
    from decision_aid.ui.app import build_window
    from decision_aid.ui.settings import AppSettings

    pack = copy_pack(tmp_path / "pack")
    (pack / "handout" / "es.yaml").unlink()
    text = (pack / "questions.yaml").read_text(encoding="utf-8")
    (pack / "questions.yaml").write_text(
        text.replace("          es: Spanish (español)\n", ""), "utf-8"
    )
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = build_window(settings, content=load_content(pack))
    qtbot.addWidget(window, before_close_func=lambda shown: shown.session.mark_saved())
    window.show()
    qtbot.waitExposed(window)

    language_question = question(window, "patient.handout_language")
    assert isinstance(language_question, ChoiceQuestion)
    assert list(language_question.buttons) == ["en"]
    window.open_path(EXAMPLES / "urgent-self-harm-trd-es.consult.json")
    window.go_to_step(window.steps.count() - 1)
    review = window.review
    assert [review.language.itemText(i) for i in range(review.language.count())] == ["English"]
    qtbot.waitUntil(lambda: review._document is not None)
    assert review.chosen_language.value == "en"
    assert review.preview_status.text().endswith(
        "The consult asks for es: this content pack has no handout in it."
    )
    assert window.session.consult.patient.handout_language == "es"

    dialog, _ = dialogs.settings_dialog(window, ClinicSettings(), window.content.languages)
    qtbot.addWidget(dialog)
    (language_box,) = [
        box
        for box in dialog.findChildren(QComboBox)
        if box.accessibleName() == "Default handout language for new consults"
    ]
    assert [language_box.itemText(i) for i in range(language_box.count())] == ["English"]


def test_review_shows_answers_and_the_handout(qtbot: QtBot, window: MainWindow) -> None:
    window.open_path(EXAMPLES / "urgent-self-harm-trd-es.consult.json")
    window.go_to_step(window.steps.count() - 1)
    assert window.pages.currentWidget() is window.review
    assert "PHQ-9 item 9" in window.review.answers.toPlainText()
    assert window.review.chosen_language.value == "es"
    qtbot.waitUntil(lambda: window.review._document is not None)
    assert 3 <= window.review._document.pageCount() <= _pdf.MAX_PAGES
    assert "Spanish" in window.review.preview_status.text()
    # The language shown on Review is the consult's: changing it there changes the consult.
    window.review.language.setCurrentIndex(window.review.language.findData("en"))
    assert window.session.consult.patient.handout_language == "en"
    window.session.set_answer("patient.handout_language", "es")
    assert window.review.chosen_language.value == "es"


def print_through_seams(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bytes, PrintOptions]]:
    """Printing with one printer installed and every job accepted: the PDFs sent, with their
    options."""
    from PySide6.QtPrintSupport import QPrinter

    from decision_aid.ui import printing

    sent: list[tuple[bytes, printing.PrintOptions]] = []

    def submit(lp: str, pdf: bytes, options: printing.PrintOptions) -> printing.PrintResult:
        sent.append((pdf, options))
        return printing.PrintResult(options.printer, job=f"{options.printer}-{len(sent)}")

    monkeypatch.setattr(printing, "print_service", lambda: "lp")
    monkeypatch.setattr(printing, "installed_printers", lambda lp: ["Front desk"])
    monkeypatch.setattr(printing, "submit", submit)
    monkeypatch.setattr(dialogs, "ask_printer", lambda parent, pages: QPrinter())
    return sent


def test_save_pdf_and_print_through_the_seams(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_path(SAFE_EXAMPLE)
    assert window.session.answer("decision.handout") is None
    assert "Handout: no handout given yet." in window.note_text()
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *args: tmp_path / "handout.pdf")
    window.save_pdf_action.trigger()
    assert 3 <= len(PdfReader(tmp_path / "handout.pdf").pages) <= _pdf.MAX_PAGES
    # The consult records the handout given, and the note names it.
    given = window.session.consult.decision.handout
    assert given is not None
    assert (given.language, given.paper, given.content_stamp) == ("en", "letter", content().stamp)
    assert "Handout given: English, Letter." in window.note_text()
    assert window.session.modified

    sent = print_through_seams(monkeypatch)
    window.print_action.trigger()
    # The handout's own PDF goes to the print service, on its paper (tests/gui/test_printing.py
    # prints it through a real CUPS server).
    ((pdf, options),) = sent
    assert pdf == (tmp_path / "handout.pdf").read_bytes()
    assert options.media == "Letter"


def test_cancelled_print_records_no_handout(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_path(SAFE_EXAMPLE)
    print_through_seams(monkeypatch)
    monkeypatch.setattr(dialogs, "ask_printer", lambda parent, pages: None)
    window.print_action.trigger()
    assert window.session.consult.decision.handout is None
    assert not window.session.modified


def test_copy_note(window: MainWindow) -> None:
    window.open_path(SAFE_EXAMPLE)
    window.copy_note_action.trigger()
    text = QGuiApplication.clipboard().text()
    assert text.startswith("IV ketamine for fibromyalgia")
    assert "Status: IV ketamine may be discussed." in text
    assert len(text) <= 1500


def test_export_fhir(window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from decision_aid import fhir

    window.open_path(SAFE_EXAMPLE)
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *args: tmp_path / "consult.fhir.json")
    window.fhir_action.trigger()
    data = json.loads((tmp_path / "consult.fhir.json").read_text(encoding="utf-8"))
    assert fhir.consult_from_questionnaire_response(data) == window.session.consult


def test_export_fhir_of_a_course_is_a_bundle(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from decision_aid import fhir

    window.open_path(EXAMPLES / "may-discuss-course-responding.consult.json")
    assert window.session.consult.course
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *args: tmp_path / "course.fhir.json")
    window.fhir_action.trigger()
    data = json.loads((tmp_path / "course.fhir.json").read_text(encoding="utf-8"))
    assert data["resourceType"] == "Bundle"
    assert fhir.consult_from_bundle(data) == window.session.consult


def test_settings_reach_the_handout(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = ClinicSettings(clinic_name="Riverside Pain Clinic", clinician_name="Dr. Lee")
    monkeypatch.setattr(dialogs, "ask_settings", lambda parent, current, languages: chosen)
    window.settings_action.trigger()
    assert window.settings.clinic().clinic_name == "Riverside Pain Clinic"
    window.open_path(SAFE_EXAMPLE)
    # The clinic's lines are with the next steps, where the patient writes the next visit.
    pages = PdfReader(__import__("io").BytesIO(window.review.handout_pdf())).pages
    assert "Riverside Pain Clinic" in " ".join(page.extract_text() for page in pages)


def test_help_documents(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: dict[str, str] = {}
    monkeypatch.setattr(
        dialogs, "show_document", lambda parent, title, html: shown.update({title: html})
    )
    window.about_action.trigger()
    window.rules_action.trigger()
    window.evidence_action.trigger()
    about = shown["About decision-aid"]
    assert "licensed clinician" in about
    assert "adults" in about
    assert str(content().pack.next_review) in about
    assert all(rule in shown["Rules"] for rule in content().rulebook.rules)
    assert "PMID 21546160" in shown["Evidence library"]


def test_overdue_banner(
    make_window: Callable[[], MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    next_review = content().pack.next_review
    monkeypatch.setattr(clock, "today", lambda: next_review)
    assert make_window().banner.isHidden()
    monkeypatch.setattr(clock, "today", lambda: next_review + dt.timedelta(days=1))
    late = make_window()
    assert not late.banner.isHidden()
    assert "Content overdue for review" in late.banner.text()


def test_shortcuts(window: MainWindow) -> None:
    assert window.print_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    assert window.save_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert window.save_as_action.shortcut() == QKeySequence("Ctrl+Shift+S")
    assert window.save_pdf_action.shortcut() == QKeySequence("Ctrl+Shift+P")
    assert window.copy_note_action.shortcut() == QKeySequence("Ctrl+Shift+C")
    assert window.new_action.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    shortcuts = [
        action.shortcut().toString()
        for action in window.actions()
        if not action.shortcut().isEmpty()
    ]
    assert len(shortcuts) == len(set(shortcuts)), "no shortcut is used twice"


def test_every_control_has_an_accessible_name(qtbot: QtBot, window: MainWindow) -> None:
    """Every widget Tab can reach, on every step, Review included, says what it is."""
    window.open_path(SAFE_EXAMPLE)
    unnamed: set[str] = set()
    for row in range(window.steps.count()):
        window.go_to_step(row)
        qtbot.waitUntil(lambda: all(view.isVisible() for view in window.panel.finding_views))
        widget = window.steps.nextInFocusChain()
        while widget is not None and widget is not window.steps:
            tab_stop = widget.focusPolicy().value & 1  # Qt.FocusPolicy.TabFocus
            reachable = tab_stop and widget.isVisibleTo(window) and widget.isEnabled()
            named = widget.accessibleName() or getattr(widget, "text", lambda: "")()
            if reachable and not named:
                unnamed.add(f"step {row + 1}: {type(widget).__name__}")
            widget = widget.nextInFocusChain()
    assert unnamed == set()


def test_keyboard_focus_follows_the_page(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    window.activateWindow()
    qtbot.waitActive(window)
    window.go_to_step(4)
    first = question(window, "safety.cardiovascular").buttons["none"]
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    visited = []
    for _ in range(4):
        focused = QApplication.focusWidget()
        assert focused is not None
        QTest.keyClick(focused, Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        assert focused is not None
        visited.append(focused.accessibleName())
    # A radio group is one tab stop: Tab moves from question to question, down the page.
    assert [name.split(":")[0] for name in visited] == [
        "Heart attack, stroke or TIA",
        "Aneurysm, AVM, past brain bleed or similar",
        "Liver disease",
        "Psychosis",
    ]


def test_fits_a_small_screen(qtbot: QtBot, window: MainWindow) -> None:
    """At 1024x700 the window takes that size, and on every step Back and Next are inside it
    and the step names, marks included, are not cut off at the side."""
    from PySide6.QtCore import QPoint, QRect, Qt

    window.open_path(EXAMPLES / "incomplete-answers-disagree.consult.json")  # long marks
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == (1024, 700))
    assert window.minimumSizeHint().width() <= 1024
    assert window.minimumSizeHint().height() <= 700
    inside = QRect(QPoint(0, 0), window.size())
    for row in range(window.steps.count()):
        window.go_to_step(row)
        for button in (window.back_button, window.next_button):
            corner = button.mapTo(window, QPoint(0, 0))
            assert inside.contains(QRect(corner, button.size())), (row, button.text())
    # Long step names wrap rather than scroll sideways (the policies are set by name).
    assert window.steps.horizontalScrollBarPolicy().name == "ScrollBarAlwaysOff"
    assert window.steps.wordWrap()
    metrics = window.steps.fontMetrics()
    viewport = window.steps.viewport().rect()
    for row in range(window.steps.count()):
        item = window.steps.item(row)
        rect = window.steps.visualItemRect(item)
        assert rect.right() <= viewport.right(), item.text()
        # The whole name, wrapped to the item's width, fits in the item's height.
        wrapped = metrics.boundingRect(
            QRect(0, 0, rect.width(), 10_000), Qt.TextFlag.TextWordWrap, item.text()
        )
        assert wrapped.height() <= rect.height(), item.text()


def test_a_consult_step_by_keyboard_only(qtbot: QtBot, window: MainWindow) -> None:
    """Tab, arrows, typing and shortcuts alone answer the Patient step and move on."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    def focused() -> Any:
        widget = QApplication.focusWidget()
        assert widget is not None
        return widget

    window.activateWindow()
    qtbot.waitActive(window)
    window.steps.setFocus()
    qtbot.waitUntil(window.steps.hasFocus)
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    age = question(window, "patient.age_years").spin
    assert focused() is age
    QTest.keyClick(age, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(age, "47")
    QTest.keyClick(age, Qt.Key.Key_Tab)
    assert window.session.consult.patient.age_years == 47
    weight = question(window, "patient.weight_kg").spin
    assert focused() is weight
    QTest.keyClick(weight, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(weight, "71")
    QTest.keyClick(weight, Qt.Key.Key_Tab)
    assert window.session.consult.patient.weight_kg == 71
    # The pregnancy question's checked answer ("Unknown", where it starts) has the focus;
    # Space there records nothing, arrows choose.
    assert focused().accessibleName() == "Pregnancy: Unknown"
    QTest.keyClick(focused(), Qt.Key.Key_Space)
    assert window.session.consult.patient.pregnancy.value == "unknown"
    for _ in range(4):
        QTest.keyClick(focused(), Qt.Key.Key_Up)
    assert window.session.consult.patient.pregnancy.value == "no"
    QTest.keyClick(focused(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.steps.currentRow() == 1
    QTest.keyClick(focused(), Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.steps.currentRow() == 2
    QTest.keyClick(focused(), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.steps.currentRow() == 1
    QTest.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.steps.currentRow() == 4
    window.steps.setFocus()
    qtbot.waitUntil(window.steps.hasFocus)
    QTest.keyClick(window.steps, Qt.Key.Key_Tab)
    assert focused().accessibleName() == "Heart disease or high blood pressure: Unknown"


def test_the_window_opens_ready_for_an_age_to_be_typed(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    window.activateWindow()
    qtbot.waitActive(window)
    age = question(window, "patient.age_years").spin
    assert QApplication.focusWidget() == age
    QTest.keyClicks(age, "52")
    assert window.session.consult.patient.age_years == 52


def test_an_unexpected_error_shows_a_dialog_and_keeps_the_consult(
    qtbot: QtBot,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from decision_aid.ui.app import excepthook_for

    window.open_path(SAFE_EXAMPLE)
    choose(qtbot, window, "safety.liver", "mild_moderate")
    before = window.session.consult.model_copy(deep=True)
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: shown.append(text))
    hook = excepthook_for(window)
    try:
        raise RuntimeError("a slot failed")
    except RuntimeError as error:
        hook(RuntimeError, error, error.__traceback__)
    assert len(shown) == 1
    assert "a slot failed" in shown[0]
    assert "Your answers are kept" in shown[0]
    assert window.session.consult == before
    assert "RuntimeError: a slot failed" in capsys.readouterr().err


def test_every_new_question_answers_by_mouse(qtbot: QtBot, window: MainWindow) -> None:
    """The version 2 questions, clicked as a clinician clicks them (QTest mouse events on the
    shown widgets, not setChecked), each on its own step."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    window.activateWindow()
    qtbot.waitActive(window)

    from PySide6.QtWidgets import QScrollArea

    def click(field: str, value: str) -> None:
        widget = question(window, field)
        row = next(row for row, page in enumerate(window.step_pages) if widget in page.questions)
        window.go_to_step(row)
        target: QWidget | None
        if isinstance(widget, ListQuestion):
            target = widget.none_of_these if value == "none_of_these" else widget.boxes[value]
        else:
            target = widget.buttons[value]
        assert target is not None
        scroll = window.pages.widget(row)
        assert isinstance(scroll, QScrollArea)
        qtbot.waitUntil(target.isVisible)
        scroll.ensureWidgetVisible(target)
        qtbot.waitUntil(lambda: not target.visibleRegion().isEmpty())
        with qtbot.waitSignal(window.session.assessment_changed):
            QTest.mouseClick(target, Qt.MouseButton.LeftButton, pos=QPoint(8, target.height() // 2))

    for field, value in (
        ("safety.vascular_hazard", "present"),
        ("safety.psychosis", "chronic_disorder"),
        ("safety.bipolar", "history"),
        ("safety.hyperthyroidism", "present"),
        ("safety.sleep_apnea", "present"),
        ("safety.porphyria", "present"),
        ("safety.medications", "theophylline"),
        ("safety.medications", "bupropion"),
        ("safety.heart_or_stroke_event", "earlier"),
        ("safety.dissociative_disorder", "present"),
        ("safety.intraocular_pressure", "controlled_glaucoma"),
        ("ketamine_exposure.status", "past_course"),
        ("ketamine_exposure.response", "partial_benefit"),
        ("ketamine_exposure.harms", "blood_pressure_event"),
        ("substance_use.substances", "none_of_these"),
        ("decision.leaning", "research_study"),
        ("decision.sure.has_support_and_advice", "no"),
        ("decision.teach_back", "not_done"),
        ("decision.suicide_risk", "moderate"),
    ):
        click(field, value)
    consult = window.session.consult
    assert consult.safety.vascular_hazard == "present"
    assert consult.safety.psychosis == "chronic_disorder"
    assert (consult.safety.bipolar, consult.safety.porphyria) == ("history", "present")
    assert consult.safety.medications == ["theophylline", "bupropion"]
    assert (consult.safety.heart_or_stroke_event, consult.safety.dissociative_disorder) == (
        "earlier",
        "present",
    )
    assert consult.safety.intraocular_pressure == "controlled_glaucoma"
    exposure = consult.ketamine_exposure
    assert (exposure.status, exposure.response, exposure.harms) == (
        "past_course",
        "partial_benefit",
        ["blood_pressure_event"],
    )
    assert consult.substance_use.substances == []
    assert consult.decision.leaning == "research_study"
    assert consult.decision.sure.has_support_and_advice == "no"
    assert (consult.decision.teach_back, consult.decision.suicide_risk) == (
        "not_done",
        "moderate",
    )
    fired = {finding.rule for finding in window.session.assessment.findings}
    assert {"stop.vascular_hazard", "stop.psychotic_disorder", "caution.bipolar"} <= fired
    assert {"stop.hyperthyroidism", "caution.sleep_apnea", "stop.porphyria"} <= fired
    assert {
        "caution.earlier_heart_or_stroke_event",
        "caution.dissociative_disorder",
        "caution.controlled_glaucoma",
        "caution.ketamine_past_reaction",
        "info.past_ketamine_course",
    } <= fired
    regions = question(window, "fibromyalgia.pain_regions")
    window.go_to_step(1)
    QTest.mouseDClick(regions.spin, Qt.MouseButton.LeftButton)
    QTest.keyClick(regions.spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(regions.spin, "3")
    assert window.session.consult.fibromyalgia.pain_regions == 3


def test_text_from_files_is_never_rich_text(qtbot: QtBot, tmp_path: Path) -> None:
    """A pack's step intro and help, and a message quoting a consult file, show their markup
    as text: no link to click, no local image loaded."""
    from decision_aid.content import load_content

    hostile = '<a href="file:///etc/passwd">click</a><img src="/tmp/x.png">'
    pack = copy_pack(tmp_path / "pack")
    questions = pack / "questions.yaml"
    text = questions.read_text(encoding="utf-8")
    text = text.replace(
        "intro: No name, birth date or record number is asked or stored.",
        f"intro: '{hostile}'",
    ).replace("help: The evidence and this aid are for adults (18 or older).", f"help: '{hostile}'")
    questions.write_text(text, encoding="utf-8")
    from PySide6.QtCore import QSettings

    from decision_aid.ui.app import build_window
    from decision_aid.ui.settings import AppSettings

    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    clinic = build_window(AppSettings(store), content=load_content(pack))
    qtbot.addWidget(clinic)
    from PySide6.QtWidgets import QLabel

    labels = [label for label in clinic.page(0).findChildren(QLabel) if hostile in label.text()]
    assert len(labels) == 2
    for label in labels:
        assert label.textFormat().name == "PlainText"
    box = dialogs.plain_message_box(clinic, "Cannot open the consult", f"x.json: {hostile}")
    assert box.textFormat().name == "PlainText"
    assert hostile in box.text()
    clinic.session.mark_saved()


def test_every_level_shows_its_mark_and_a_check_finding_opens(window: MainWindow) -> None:
    from decision_aid.catalogue import Level
    from decision_aid.ui.assessment_panel import LEVEL_MARKS

    assert set(LEVEL_MARKS) == set(Level)
    assert len(set(LEVEL_MARKS.values())) == len(Level)  # told apart without colour
    window.open_path(EXAMPLES / "incomplete-answers-disagree.consult.json")
    view = window.panel.view_of("check.substances_vs_status")
    assert view is not None
    assert "≠ Check answers:" in view.title.text()
    assert window.steps.item(5).text() == "6. Substance use  (answers disagree)"
    view.button.click()
    # The why names both answers that disagree, as the clinician gave them.
    assert "Substance use disorder or misuse: <b>None</b>" in view.why.text()
    assert "Opioids" in view.why.text()


def keyboard_focus() -> QWidget:
    from PySide6.QtWidgets import QApplication

    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def number_questions(window: MainWindow) -> list[NumberQuestion]:
    return [
        widget
        for page in window.step_pages
        for widget in page.questions
        if isinstance(widget, NumberQuestion)
    ]


def show_question(window: MainWindow, widget: QWidget) -> None:
    """Goes to the widget's step and scrolls it into view, as a clinician would."""
    from PySide6.QtWidgets import QScrollArea

    row = next(row for row, page in enumerate(window.step_pages) if page.isAncestorOf(widget))
    window.go_to_step(row)
    scroll = window.pages.widget(row)
    assert isinstance(scroll, QScrollArea)
    scroll.ensureWidgetVisible(widget)


def test_every_number_box_takes_digits_after_a_click(qtbot: QtBot, window: MainWindow) -> None:
    """A click into "not known" (or anywhere in a filled box, the unit included), then
    digits: the answer is what was typed."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    window.activateWindow()
    qtbot.waitActive(window)
    for widget in number_questions(window):
        show_question(window, widget.spin)
        edit = widget.spin.lineEdit()
        low, high = widget.low, widget.high
        typed = str(min(max(low, 2), high))  # two digits for the weight (30 or more)
        QTest.mouseClick(edit, Qt.MouseButton.LeftButton, pos=QPoint(5, edit.height() // 2))
        QTest.keyClicks(keyboard_focus(), typed)  # keys go where the keyboard focus is
        assert widget.value == int(typed), widget.question.field
        assert window.session.answer(widget.question.field) == int(typed)


def test_a_click_in_the_unit_then_a_digit_appends_to_the_number(
    qtbot: QtBot, window: MainWindow
) -> None:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    window.activateWindow()
    qtbot.waitActive(window)
    months = question(window, "fibromyalgia.symptom_months")
    show_question(window, months.spin)
    edit = months.spin.lineEdit()
    QTest.mouseClick(edit, Qt.MouseButton.LeftButton, pos=QPoint(5, edit.height() // 2))
    QTest.keyClicks(keyboard_focus(), "3")
    assert edit.text() == "3"  # the unit is beside the box, not in its text
    QTest.mouseClick(edit, Qt.MouseButton.LeftButton, pos=QPoint(edit.width() - 3, 5))
    QTest.keyClicks(keyboard_focus(), "6")
    assert months.value == 36
    # A double-click selects the number, and typing replaces it.
    QTest.mouseDClick(edit, Qt.MouseButton.LeftButton, pos=QPoint(5, edit.height() // 2))
    QTest.keyClicks(keyboard_focus(), "48")
    assert window.session.consult.fibromyalgia.symptom_months == 48


def test_the_age_box_takes_digits_after_next_back_and_a_step_shortcut(
    qtbot: QtBot, window: MainWindow
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    window.activateWindow()
    qtbot.waitActive(window)
    age = question(window, "patient.age_years")
    for move in ("next-back", "shortcut"):
        if move == "next-back":
            window.next_button.click()
            window.back_button.click()
        else:
            window.go_to_step(3)
            QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(age.spin.hasFocus)
        focused = QApplication.focusWidget()
        assert focused is not None
        QTest.keyClicks(focused, "5")
        QTest.keyClicks(focused, "2")
        assert window.session.consult.patient.age_years == 52, move
        with qtbot.waitSignal(window.session.assessment_changed):
            enter_number(age, None)


def wheel(widget: QWidget, notches: int = 1) -> None:
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_changes_no_answer_without_the_focus(qtbot: QtBot, window: MainWindow) -> None:
    """One notch over PHQ-9 item 9, or over an outcome, while the step list has the focus."""
    from decision_aid.consult import Therapy

    window.activateWindow()
    qtbot.waitActive(window)
    window.open_path(SAFE_EXAMPLE)
    before = window.session.consult.model_copy(deep=True)
    item9 = question(window, "comorbidities.phq9_item9")
    treatments = question(window, "prior_treatments")
    for control in (item9.spin, treatments.outcomes[Therapy.EXERCISE]):
        show_question(window, control)
        window.steps.setFocus()
        qtbot.waitUntil(window.steps.hasFocus)
        wheel(control, 1)
        wheel(control, -1)
        wheel(control, 1)
        assert not control.hasFocus()
    assert window.session.consult == before
    assert window.session.assessment.urgent == ()
    # With the focus neither: the page scrolls (tests/gui/test_input.py); arrows step.
    item9.spin.setFocus()
    qtbot.waitUntil(item9.spin.hasFocus)
    wheel(item9.spin, 1)
    assert window.session.consult == before


def test_settings_defaults_apply_to_each_new_consult(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = ClinicSettings(clinic_name="Riverside", paper="a4", language="es")
    monkeypatch.setattr(dialogs, "ask_settings", lambda parent, current, languages: chosen)
    window.open_path(SAFE_EXAMPLE)
    window.go_to_step(window.steps.count() - 1)
    assert window.review.chosen_paper == "letter"
    window.settings_action.trigger()
    # A consult under way keeps its own language; the next new one starts on the defaults.
    assert window.session.consult.patient.handout_language == "en"
    window.new_action.trigger()
    assert window.session.consult.patient.handout_language == "es"
    assert window.review.chosen_paper == "a4"
    assert question(window, "patient.handout_language").buttons["es"].isChecked()


def test_a_settings_change_shows_at_once_in_the_open_preview(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_path(SAFE_EXAMPLE)
    window.go_to_step(window.steps.count() - 1)
    qtbot.waitUntil(lambda: window.review._document is not None)
    first = window.review.handout_pdf()
    chosen = ClinicSettings(clinic_name="Lakeside Pain Clinic")
    monkeypatch.setattr(dialogs, "ask_settings", lambda parent, current, languages: chosen)
    window.settings_action.trigger()
    again = window.review.handout_pdf()
    assert again != first
    pages = PdfReader(__import__("io").BytesIO(again)).pages
    assert "Lakeside Pain Clinic" in " ".join(page.extract_text() for page in pages)


@pytest.mark.parametrize("go_on", [False, True])
def test_a_handout_of_an_incomplete_consult_asks_first(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, go_on: bool
) -> None:
    asked: list[tuple[int, int]] = []

    def confirm(parent: object, missing: int, conflicts: int) -> bool:
        asked.append((missing, conflicts))
        return go_on

    monkeypatch.setattr(dialogs, "confirm_incomplete_handout", confirm)
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *args: tmp_path / "handout.pdf")
    window.open_path(EXAMPLES / "incomplete-answers-disagree.consult.json")
    window.save_pdf_action.trigger()
    assert asked == [(0, 1)]
    assert (tmp_path / "handout.pdf").exists() is go_on
    assert (window.session.consult.decision.handout is not None) is go_on
    window.open_path(SAFE_EXAMPLE)
    # The file may be there from the first save: replacing it is agreed to.
    monkeypatch.setattr(dialogs, "confirm_replace", lambda parent, path: True)
    window.save_pdf_action.trigger()  # complete: no question
    assert len(asked) == 1


# The offscreen platform warns when a shown window's size limits change; a real one does not.
@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_window_fits_the_screen_it_opens_on(window: MainWindow) -> None:
    window.fit_to_screen()
    available = window.screen().availableGeometry()
    assert window.width() <= available.width()
    assert window.height() <= available.height()
    assert window.minimumWidth() <= available.width()


def test_a_still_unknown_item_takes_you_to_its_question(window: MainWindow) -> None:
    window.activateWindow()
    window.open_path(EXAMPLES / "incomplete-halfway.consult.json")
    assert 'href="field:safety.porphyria"' in window.panel.missing.text()
    window.panel.missing.linkActivated.emit("field:safety.porphyria")
    assert window.steps.currentRow() == 4
    focused = keyboard_focus()
    assert focused.accessibleName() == "Acute porphyria: Unknown"  # its checked answer


def test_statuses_are_told_apart_without_colour() -> None:
    from decision_aid.catalogue import Status
    from decision_aid.ui.assessment_panel import STATUS_BORDERS, STATUS_COLOURS, STATUS_MARKS

    assert len(set(STATUS_MARKS.values())) == len(Status)
    assert len(set(STATUS_BORDERS.values())) == len(Status)
    # No green for "may be discussed": its tint has more blue than green, and more green
    # than red (sky blue), never the reverse.
    red, green, blue = (int(STATUS_COLOURS[Status.MAY_DISCUSS][i : i + 2], 16) for i in (1, 3, 5))
    assert blue > green > red


def test_large_print_ticked_by_mouse_reaches_the_preview_saving_and_printing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from decision_aid.handout import _pdf
    from tests.gui.mouse import click

    real_render = _pdf.render
    asked: list[bool] = []

    def render(*arguments: Any, large_print: bool = False) -> bytes:
        asked.append(large_print)
        return real_render(*arguments, large_print=large_print)

    monkeypatch.setattr(_pdf, "render", render)
    window.open_path(SAFE_EXAMPLE)
    window.go_to_step(window.steps.count() - 1)
    review = window.review
    qtbot.waitUntil(lambda: review._document is not None)
    assert asked == [False]
    assert not review.large_print.isChecked()
    assert "large print" not in review.preview_status.text()

    click(window, review.large_print)
    assert review.large_print.isChecked()
    # The preview is made again, in large print, at once.
    assert asked == [False, True]
    assert review.preview_status.text().endswith(", large print.")
    # Not an answer: the consult is unchanged, and the file keeps no print size.
    assert not window.session.modified

    monkeypatch.setattr(dialogs, "ask_save_path", lambda *args: tmp_path / "large.pdf")
    window.save_pdf_action.trigger()
    assert PdfReader(tmp_path / "large.pdf").pages
    sent = print_through_seams(monkeypatch)
    window.print_action.trigger()
    assert [pdf for pdf, _options in sent] == [(tmp_path / "large.pdf").read_bytes()]
    # Saved and printed in large print (recording the handout given makes it again).
    assert asked[0] is False
    assert set(asked[1:]) == {True}
    assert "large" not in json.dumps(window.session.consult.model_dump(mode="json"))

    click(window, review.large_print)
    assert not review.large_print.isChecked()
    assert asked[-1] is False


def test_a_new_consult_starts_without_large_print(window: MainWindow) -> None:
    window.go_to_step(window.steps.count() - 1)
    window.review.large_print.setChecked(True)
    window.new_consult()
    assert not window.review.large_print.isChecked()
    window.go_to_step(window.steps.count() - 1)
    assert "large print" not in window.review.preview_status.text()
