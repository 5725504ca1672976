"""The record of a course as a table: one row per visit (docs/design.md section 13.3).

A cell whose answer the course assessment lists as missing reads "missing" with a warning
icon, not colour alone, so that the clinician sees at once which visit lacks what. The
headings and the answers' words are the pack's (``course_words.yaml``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication, QStyle

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from decision_aid.content import CourseWords

MISSING: Final = "missing"
_PATH = re.compile(r"^course\[(\d+)\]\.([a-z0-9_]+)")


def _value(item: object) -> Any:
    return getattr(item, "value", item)


def _bp(reading: Any) -> str:
    return "" if reading is None else f"{reading.systolic}/{reading.diastolic}"


def _listed(items: Any, words: CourseWords, path: str) -> str:
    if items is None:
        return "not asked"
    if not items:
        return words.none_of_these
    return ", ".join(words.value(path, item) for item in items)


def _chosen(words: CourseWords, path: str, value: object) -> str:
    return "" if value is None else words.value(path, value)


def _pain(visit: Any) -> str:
    week = "-" if visit.pain_week is None else str(visit.pain_week)
    if visit.pain_before is not None or visit.pain_after is not None:
        before = "?" if visit.pain_before is None else visit.pain_before
        after = "?" if visit.pain_after is None else visit.pain_after
        return f"{week}; {before} to {after}"
    return "" if visit.pain_week is None else week


def _infusion(visit: Any, words: CourseWords) -> str:
    shown = words.value("visit.infusion", visit.infusion)
    shown = shown[:1].upper() + shown[1:]
    return f"{visit.infusion_number}: {shown}" if visit.infusion_number else shown


def _item9(visit: Any, words: CourseWords) -> str:
    if visit.phq9_item9 is None:
        return ""
    outcome = _chosen(words, "visit.suicide_risk", visit.suicide_risk)
    return f"{visit.phq9_item9}, {outcome}" if visit.phq9_item9 >= 1 else "0"


def _liver(visit: Any, words: CourseWords) -> str:
    liver = visit.liver
    if liver is None:
        return ""
    shown = [
        f"{name} {getattr(liver, key):g}"
        for key, name in (("alt", "ALT"), ("ast", "AST"), ("alp", "ALP"), ("bilirubin", "Bili"))
        if getattr(liver, key) is not None
    ]
    status = words.value("visit.liver.status", liver.status)
    return f"{status}: {', '.join(shown)}" if shown else status


# Each column: its id (its heading is the pack's ``window.columns``), the visit fields it
# shows (a missing one reads "missing"), and how it shows them.
COLUMNS: Final[tuple[tuple[str, tuple[str, ...], Callable[[Any, CourseWords], str]], ...]] = (
    ("infusion", ("infusion", "infusion_number"), _infusion),
    ("day", ("day",), lambda v, w: str(v.day)),
    ("pain", ("pain_week", "pain_before", "pain_after"), lambda v, w: _pain(v)),
    ("pgic", ("pgic",), lambda v, w: _chosen(w, "visit.pgic", v.pgic)),
    ("fiqr", ("fiqr_total",), lambda v, w: "" if v.fiqr_total is None else f"{v.fiqr_total:g}"),
    (
        "blood_pressure",
        ("bp_before", "bp_peak", "bp_after"),
        lambda v, w: ", ".join(_bp(r) or "-" for r in (v.bp_before, v.bp_peak, v.bp_after)),
    ),
    (
        "dissociation",
        ("dissociation", "cadss_total"),
        lambda v, w: w.value("visit.dissociation", v.dissociation),
    ),
    ("item9", ("phq9_item9", "suicide_risk"), _item9),
    ("bladder", ("bladder",), lambda v, w: _listed(v.bladder, w, "visit.bladder")),
    ("misuse", ("misuse_signs",), lambda v, w: _listed(v.misuse_signs, w, "visit.misuse_signs")),
    ("liver", ("liver",), _liver),
    (
        "side_effects",
        ("side_effects", "side_effects_acceptable"),
        lambda v, w: _listed(v.side_effects, w, "visit.side_effects"),
    ),
)


def missing_cells(paths: Iterable[str]) -> set[tuple[int, int]]:
    """The (row, column) cells that hold a missing answer, from the assessment's paths."""
    column_of = {
        field: column for column, (_h, fields, _s) in enumerate(COLUMNS) for field in fields
    }
    cells = set()
    for path in paths:
        match = _PATH.match(path)
        if match and match.group(2) in column_of:
            cells.add((int(match.group(1)), column_of[match.group(2)]))
    return cells


class VisitTableModel(QAbstractTableModel):
    """The visits of the consult, read-only: a row is edited in the visit form."""

    def __init__(self, words: CourseWords) -> None:
        super().__init__()
        self.words = words
        self.visits: Sequence[Any] = ()
        self.missing: set[tuple[int, int]] = set()
        # Each cell's words, made once per change: Qt asks for them many times (sizing the
        # columns, painting), and a visit added must show within 100 ms (docs/design.md
        # section 13.6).
        self.texts: list[list[str]] = []
        # Made with the step, not at the first missing answer: Qt's style builds its enums on
        # first use (about 20 ms), which the first visit added would otherwise pay.
        style = QApplication.style()
        self._icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)

    def show(self, visits: Sequence[Any], missing: Iterable[str]) -> None:
        self.beginResetModel()
        self.visits = list(visits)
        self.missing = missing_cells(missing)
        self.texts = []
        for row, visit in enumerate(self.visits):
            cells = []
            for column, (_heading, _fields, shown) in enumerate(COLUMNS):
                text = shown(visit, self.words)
                if (row, column) in self.missing:
                    text = f"{MISSING}: {text}" if text else MISSING
                cells.append(text)
            self.texts.append(cells)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.visits)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.texts[index.row()][index.column()]
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon if (index.row(), index.column()) in self.missing else None
        if role == Qt.ItemDataRole.ToolTipRole and (index.row(), index.column()) in self.missing:
            return "A required answer of this visit is missing: Enter to edit the visit."
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.words.window.columns[COLUMNS[section][0]]
        return f"Visit {section + 1}"
