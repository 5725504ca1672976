"""The Course step driven on the shown window (docs/design.md sections 13.3 and 13.7 item 10):
when a trial plan may be made, the plan read-only once the course began, a visit added with
the keyboard alone, "missing" cells, the urgent banner's way to a visit's question, and the
chart's lines and description."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from decision_aid.consult import Consult
from decision_aid.ui import course_dialogs
from decision_aid.ui.course_table import MISSING
from tests.helpers import safe_consult

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from decision_aid.ui.course_step import CourseStep
    from decision_aid.ui.main_window import MainWindow

NO_LIVER = {"liver": "none"}


@pytest.fixture(autouse=True)
def _no_real_course_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    def unexpected(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"an unexpected dialog was opened: {args[1:2]}")

    monkeypatch.setattr(course_dialogs, "confirm_remove_visit", unexpected)
    monkeypatch.setattr(course_dialogs, "ask_course_end", unexpected)


def consult_with(leaning: str = "ketamine", **sections: Any) -> Consult:
    consult = safe_consult(**sections)
    consult.decision.leaning = leaning  # type: ignore[assignment]
    return consult


PLAN: dict[str, Any] = {
    "made_at_status": "may_discuss",
    "made_with_findings": [],
    "specialist_agreed": "unknown",
    "measures": ["pain_30", "pgic_much"],
    "fiqr_drop_percent": None,
    "judge_after_infusions": 4,
    "stop_rules": ["bp_during"],
    "liver_tests_every": None,
    "baseline": {"pain_week": 7, "fiqr_total": None, "bladder": []},
}


def visit(number: int | None, day: int, pain: int | None, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "infusion": "given" if number else "not_given",
        "infusion_number": number,
        "day": day,
        "pain_week": pain,
        "dissociation": "none",
        "side_effects": [],
        "side_effects_acceptable": "yes",
        "phq9_item9": 0,
        "bladder": [],
        "misuse_signs": [],
        "screening_reviewed": "yes",
        "bp_before": {"systolic": 120, "diastolic": 80},
        "bp_peak": {"systolic": 130, "diastolic": 85},
        "bp_after": {"systolic": 122, "diastolic": 80},
    }
    if day > 0:
        values["pgic"] = "much_improved"
    return values | fields


def open_course(window: MainWindow, consult: Consult) -> CourseStep:
    window.session.replace(consult)
    row = window._course_row
    assert row is not None
    window.go_to_step(row)
    course = window.course_step
    assert course is not None
    assert course.isVisible()
    return course


def with_plan(plan: dict[str, Any], visits: list[dict[str, Any]] | None = None) -> Consult:
    data = consult_with().model_dump(mode="json")
    data.update(plan=plan, course=visits or [])
    return Consult.model_validate(data)


@pytest.mark.parametrize(
    ("leaning", "sections", "enabled"),
    [
        ("ketamine", {}, True),  # may discuss
        ("ketamine", {"patient": {"age_years": 70}}, True),  # specialist review
        ("unsure", {}, False),
        ("standard_option", {}, False),
        ("ketamine", {"safety": {"psychosis": "active"}}, False),  # not advised
        ("ketamine", {"safety": {"liver": "unknown"}}, False),  # incomplete
    ],
)
def test_make_a_trial_plan_is_enabled_exactly_for_ketamine_and_may_discuss_or_review(
    window: MainWindow, leaning: str, sections: dict[str, Any], enabled: bool
) -> None:
    consult = consult_with(leaning, **sections)
    course = open_course(window, consult)
    status = window.session.assessment.status.value
    assert enabled == (leaning == "ketamine" and status in ("may_discuss", "specialist_review"))
    assert course.make_plan.isEnabled() is enabled
    # Disabled, the reason is beside it in the status's words.
    assert course.refusal.isVisible() is not enabled
    if not enabled and leaning == "ketamine":
        words = window.content.rulebook.statuses[window.session.assessment.status]
        assert words.lower() in course.refusal.text().lower()


def test_specialist_review_asks_the_specialist_first_and_records_nothing_until_yes(
    qtbot: QtBot, window: MainWindow
) -> None:
    course = open_course(window, consult_with(patient={"age_years": 70}))
    assert window.session.assessment.status.value == "specialist_review"
    QTest.mouseClick(course.make_plan, Qt.MouseButton.LeftButton)
    assert course.specialist.isVisible()
    assert not course.plan_form.isVisible()
    course.specialist.show_value("no")
    assert not course.plan_form.isVisible()
    course.specialist.show_value("yes")
    assert course.plan_form.isVisible()
    course.plan_form.measures["pgic_much"].setChecked(True)
    course.plan_form.pain.show_number(6)
    course.plan_form.judge_after.show_number(3)
    assert course.record_plan()
    plan = window.session.consult.plan
    assert plan is not None
    assert (plan.made_at_status, plan.specialist_agreed) == ("specialist_review", "yes")


def test_recording_the_plan_sets_its_status_and_findings_and_copies_no_baseline(
    qtbot: QtBot, window: MainWindow
) -> None:
    course = open_course(window, consult_with())
    QTest.mouseClick(course.make_plan, Qt.MouseButton.LeftButton)
    form = course.plan_form
    # The consult's pain score is a hint beside the empty box, never its value.
    assert form.pain.number() is None
    assert "7" in form.pain_hint.text()
    assert not any(box.isChecked() for box in form.stop_rules.values())
    form.measures["pain_30"].setChecked(True)
    assert not course.record_plan()  # no baseline, no judgement point: refused
    assert form.message.isVisible()
    assert window.session.consult.model_dump()["plan"] is None
    form.pain.show_number(7)
    form.judge_after.show_number(4)
    assert course.record_plan()
    plan = window.session.consult.plan
    assert plan is not None
    assert plan.made_at_status == "may_discuss"
    cautions = sorted(
        f.rule for f in window.session.assessment.findings if f.level.value in ("caution", "first")
    )
    assert plan.made_with_findings == cautions
    assert (plan.baseline.pain_week, plan.judge_after_infusions) == (7, 4)


def test_the_plan_is_read_only_once_a_visit_is_recorded(qtbot: QtBot, window: MainWindow) -> None:
    course = open_course(window, with_plan(PLAN))
    assert course.plan_form.isVisible()
    assert not course.plan_view.isVisible()
    course.open_visit(None)
    course.visit_form.infusion.show_value("given")
    course.visit_form.day.show_number(0)
    assert course.record_visit()
    assert not course.plan_form.isVisible()
    assert course.plan_view.isVisible()
    assert "read-only" in course.plan_view.text()
    assert course.plan_form not in course.controls()
    # Even called directly, recording a plan changes nothing now.
    before = window.session.consult.plan
    course.plan_form.judge_after.show_number(9)
    assert not course.record_plan()
    assert window.session.consult.plan == before


def focused() -> Any:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def test_a_visit_is_added_with_the_keyboard_alone(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    course = open_course(window, with_plan(PLAN))
    QTest.keyClick(
        focused(),
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    form = course.visit_form
    assert form.isVisible()
    assert focused() is form.infusion
    # Tab walks the form, then on to Back, as on every step.
    assert window._shown_controls[-2:] == [form.record, form.cancel]
    form.cancel.setFocus()
    QTest.keyClick(form.cancel, Qt.Key.Key_Tab)
    assert focused() is window.back_button
    form.infusion.setFocus()
    QTest.keyClick(focused(), Qt.Key.Key_Down)  # Infusion given
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is form.day
    QTest.keyClicks(focused(), "0")
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is form.pain_week
    QTest.keyClicks(focused(), "6")
    QTest.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    visits = window.session.consult.course
    assert len(visits) == 1
    (recorded,) = visits
    assert (recorded.infusion, recorded.infusion_number, recorded.day) == ("given", 1, 0)
    assert recorded.pain_week == 6
    assert not form.isVisible()
    assert course.table_model.rowCount() == 1
    assert form.infusion not in window._shown_controls


def test_a_missing_required_value_reads_missing(window: MainWindow) -> None:
    course = open_course(window, with_plan(PLAN, [visit(1, 0, None)]))
    assessment = window.session.course_assessment
    assert assessment is not None
    assert "course[0].pain_week" in assessment.missing
    model = course.table_model
    pain = model.index(0, 2)
    assert model.data(pain, Qt.ItemDataRole.DisplayRole) == MISSING
    assert model.data(pain, Qt.ItemDataRole.DecorationRole) is not None
    day = model.index(0, 1)
    assert model.data(day, Qt.ItemDataRole.DisplayRole) == "0"
    assert model.data(day, Qt.ItemDataRole.DecorationRole) is None
    # The step list and the course status say so too.
    missing = len(assessment.missing)
    assert window.steps.item(window._course_row or 0).text().endswith(f"({missing} missing)")
    assert f"{missing} required answer" in window.panel.course_status.text()


def test_the_course_status_sits_above_the_screenings_in_words_and_never_green(
    window: MainWindow,
) -> None:
    from decision_aid.catalogue import CourseStatus
    from decision_aid.ui.assessment_panel import COURSE_LOOKS

    panel = window.panel
    assert not panel.course_status.isVisible()  # no plan, no course status
    open_course(window, with_plan(PLAN, [visit(1, 0, 7)]))
    assessment = window.session.course_assessment
    assert assessment is not None
    words = window.content.rulebook.course_statuses[assessment.status]
    assert panel.course_status.isVisible()
    assert words in panel.course_status.text()
    assert panel.course_status.accessibleName().startswith(f"Course status: {words}")
    layout = panel.layout()
    assert layout is not None
    assert layout.indexOf(panel.course_status) < layout.indexOf(panel.status)
    # Each status has its own mark and border; none is a green "go".
    assert len({look[0] for look in COURSE_LOOKS.values()}) == len(CourseStatus)
    assert len({look[2] for look in COURSE_LOOKS.values()}) == len(CourseStatus)
    for _mark, colour, _border in COURSE_LOOKS.values():
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        assert not (green > red + 20 and green > blue + 20), colour


def test_item_9_of_1_raises_the_banner_and_its_action_lands_on_the_visits_question(
    qtbot: QtBot, window: MainWindow
) -> None:
    visits = [visit(1, 0, 7), visit(2, 7, 6, phq9_item9=1, suicide_risk="not_assessed")]
    course = open_course(window, with_plan(PLAN, visits))
    panel = window.panel
    assert panel.urgent.isVisible()
    assert panel.urgent_action.isVisible()
    assert "visit 2" in panel.urgent_action.text()
    window.go_to_step(0)
    QTest.mouseClick(panel.urgent_action, Qt.MouseButton.LeftButton)
    assert window.pages.currentIndex() == window._course_row
    assert course.visit_form.isVisible()
    assert course.visit_form.index == 1
    assert course.visit_form.suicide_risk.hasFocus()


def test_the_chart_follows_the_plan_and_describes_the_record(window: MainWindow) -> None:
    visits = [visit(1, 0, 7), visit(2, 7, 6), visit(3, 14, 5), visit(None, 18, 5)]
    course = open_course(window, with_plan(PLAN, visits))
    model = course.chart.model
    assert model is not None
    (target,) = model.targets
    assert (target.y, target.label) == (4, "30% less: 4 or less")
    assert model.judgement is not None
    assert (model.judgement.x, model.judgement.label) == (4, "decide after infusion 4")
    assert [(p.x, p.y) for p in model.points] == [(0, 7), (1, 6), (2, 5), (3, 5)]
    # The note's summary where the note has one (docs/design.md section 13.4), else the
    # record in its words.
    try:
        note_course = importlib.import_module("decision_aid.note_course")
        summary = note_course.course_summary(window.session.consult, window.content)
    except ModuleNotFoundError:
        summary = "3 infusions over 18 days and 1 review; pain (7 days): 7, 6, 5, 5"
    assert "7, 6, 5, 5" in summary
    assert course.chart.accessibleDescription() == summary
    # A changed plan moves its lines.
    data = window.session.consult.model_dump(mode="json")
    data["plan"] |= {"measures": ["pain_50"], "judge_after_infusions": 6}
    window.session.replace(Consult.model_validate(data))
    moved = course.chart.model
    assert moved is not None
    assert moved.judgement is not None
    assert [line.y for line in moved.targets] == [3]
    assert moved.judgement.x == 6


def test_only_the_last_visit_is_removed_and_after_a_confirmation(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    course = open_course(window, with_plan(PLAN, [visit(1, 0, 7), visit(2, 7, 6)]))
    asked: list[int] = []

    def confirm(parent: object, number: int) -> bool:
        asked.append(number)
        return len(asked) > 1

    monkeypatch.setattr(course_dialogs, "confirm_remove_visit", confirm)
    assert not course.remove_last_visit()
    assert len(window.session.consult.course) == 2
    assert course.remove_last_visit()
    assert asked == [2, 2]
    assert [v.day for v in window.session.consult.course] == [0]


def test_ending_the_course_asks_the_reason(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    course = open_course(window, with_plan(PLAN, [visit(1, 0, 7)]))
    monkeypatch.setattr(course_dialogs, "ask_course_end", lambda parent, reasons: "patient_choice")
    assert course.ask_end()
    end = window.session.consult.course_end
    assert end is not None
    assert end.reason == "patient_choice"
    assert not course.add_visit.isEnabled()
    assert course.chart.model is not None
    assert course.chart.model.end is not None


def test_save_plan_writes_the_patients_plan_page(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from decision_aid.ui import dialogs

    course = open_course(window, with_plan(PLAN))
    assert course.save_plan.isEnabled()
    assert course.print_plan.isEnabled()
    for name in ("plan.pdf", "plan.html"):
        monkeypatch.setattr(dialogs, "ask_save_path", lambda *args, n=name: tmp_path / n)
        QTest.mouseClick(course.save_plan, Qt.MouseButton.LeftButton)
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")
    html = (tmp_path / "plan.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html")
    assert "4" in html  # the target from baseline 7, as the page prints it
    assert window.panel.confirmation.text().endswith("plan.html")
    # The page records nothing in the consult.
    assert not window.session.modified


def test_enter_on_a_row_opens_that_visit_and_the_wheel_changes_no_answer(
    qtbot: QtBot, window: MainWindow
) -> None:
    from tests.gui.test_input import wheel_over

    window.activateWindow()
    qtbot.waitActive(window)
    course = open_course(window, with_plan(PLAN, [visit(1, 0, 7), visit(2, 7, 6)]))
    course.table.setFocus()
    course.table.selectRow(0)
    QTest.keyClick(course.table, Qt.Key.Key_Down)
    QTest.keyClick(course.table, Qt.Key.Key_Return)
    form = course.visit_form
    assert form.isVisible()
    assert form.index == 1
    assert form.day.number() == 7
    before = window.session.consult.model_copy(deep=True)
    shown = [form.infusion.currentIndex(), form.day.text(), form.dissociation.currentIndex()]
    for control in (form.infusion, form.day, form.dissociation, form.item9):
        wheel_over(control, -3)
        wheel_over(control, 3)
    assert [
        form.infusion.currentIndex(),
        form.day.text(),
        form.dissociation.currentIndex(),
    ] == shown
    assert course.record_visit()
    assert window.session.consult.course == before.course


@pytest.mark.parametrize(
    "status", ["responding", "too_early", "not_responding", "incomplete_record", "stop_rule_met"]
)
def test_each_example_course_shows_its_status_table_and_chart(
    window: MainWindow, status: str
) -> None:
    from tests.helpers import EXAMPLES

    window.open_path(EXAMPLES / f"may-discuss-course-{status.replace('_', '-')}.consult.json")
    assessment = window.session.course_assessment
    assert assessment is not None
    assert assessment.status.value == status
    row = window._course_row
    assert row is not None
    window.go_to_step(row)
    course = window.course_step
    assert course is not None
    visits = window.session.consult.course
    assert course.table_model.rowCount() == len(visits)
    assert course.chart.model is not None
    assert len(course.chart.model.points) == len(visits)
    assert (
        window.content.rulebook.course_statuses[assessment.status]
        in window.panel.course_status.text()
    )
    # Stop visits carry the triangle; no stop, no triangle.
    stopped = [point.visit for point in course.chart.model.points if point.stop]
    assert bool(stopped) == (status == "stop_rule_met")
