"""The Course step's figures (docs/design.md section 13.6): the chart of a 20-visit course
painted into an 800 x 300 image at device pixel ratio 2, offscreen (target under 50 ms), and
a visit added in the window, the assessment panel, the table and the chart updated and
painted (target under 100 ms). Prints one JSON object. Run by bench/run.py."""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "resources" / "examples" / "may-discuss.consult.json"


def visit(index: int) -> dict[str, Any]:
    """Visit ``index`` of a weekly course with every field filled."""
    infusion = index < 12 or index % 2 == 0
    return {
        "infusion": "given" if infusion else "not_given",
        "day": 7 * index,
        "pain_week": max(2, 7 - index // 3),
        "pain_before": 6,
        "pain_after": 3,
        "pgic": None if index == 0 else "much_improved",
        "fiqr_total": 60.5,
        "bp_before": {"systolic": 124, "diastolic": 80},
        "bp_peak": {"systolic": 150, "diastolic": 92},
        "bp_after": {"systolic": 126, "diastolic": 82},
        "dissociation": "mild",
        "cadss_total": 12,
        "side_effects": ["nausea_or_vomiting", "dizziness"],
        "side_effects_acceptable": "yes",
        "phq9_item9": 0,
        "suicide_risk": "unknown",
        "bladder": [],
        "misuse_signs": [],
        "liver": {"status": "done", "alt": 1.2, "ast": 0.9, "alp": 1.0, "bilirubin": 0.8},
        "screening_reviewed": "yes",
        "dose_mg": 35.0,
    }


def numbered(visits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    given = 0
    for entry in visits:
        if entry["infusion"] != "not_given":
            given += 1
            entry["infusion_number"] = given
        else:
            entry["infusion_number"] = None
    return visits


PLAN = {
    "made_at_status": "may_discuss",
    "made_with_findings": [],
    "specialist_agreed": "unknown",
    "measures": ["pain_30", "pgic_much", "fiqr_drop"],
    "fiqr_drop_percent": 20,
    "judge_after_infusions": 6,
    "stop_rules": ["bp_during", "bladder_new"],
    "liver_tests_every": 1,
    "baseline": {"pain_week": 7, "fiqr_total": 62.0, "bladder": []},
}


def main() -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QImage

    from decision_aid.consult import Consult
    from decision_aid.course_chart import chart_model
    from decision_aid.files import read_consult_file
    from decision_aid.ui.app import _application, build_window
    from decision_aid.ui.course_chart_view import paint_into
    from decision_aid.ui.settings import AppSettings

    application = _application()
    store = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    window = build_window(AppSettings(store))
    window.show()
    application.processEvents()
    data = read_consult_file(EXAMPLE).model_dump(mode="json")
    data["decision"]["leaning"] = "ketamine"
    data.update(plan=PLAN, course=numbered([visit(i) for i in range(20)]))
    full = Consult.model_validate(data)

    model = chart_model(full.plan, full.course)
    palette = window.palette()
    paints = []
    for _ in range(21):
        image = QImage(1600, 600, QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(2.0)
        image.fill(palette.window().color())
        start = time.perf_counter()
        paint_into(image, model, palette)
        paints.append(time.perf_counter() - start)

    adds = []
    row = window._course_row
    assert row is not None
    for _ in range(9):
        data["course"] = numbered([visit(i) for i in range(19)])
        window.session.replace(Consult.model_validate(data))
        window.go_to_step(row)
        course = window.course_step
        assert course is not None
        application.processEvents()
        course.open_visit(None)
        form = course.visit_form
        form.infusion.show_value("given")
        form.day.show_number(7 * 19)
        form.pain_week.show_number(3)
        application.processEvents()
        start = time.perf_counter()
        assert course.record_visit()
        # The panel, the table and the chart repainted, as the clinician sees them.
        window.panel.repaint()
        course.table.viewport().repaint()
        course.chart.repaint()
        adds.append(time.perf_counter() - start)
    window.session.mark_saved()
    sys.stdout.write(
        json.dumps(
            {
                "course chart paint, 20 visits (ms, median)": 1000 * statistics.median(paints),
                "add a visit in the window (ms, median)": 1000 * statistics.median(adds),
            }
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
