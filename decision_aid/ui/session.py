"""The consult being answered, wrapped for Qt: one object the widgets share.

The session holds the pure consult and content; it applies each answer through the pydantic
model (so a wrong value is refused where it is set), recomputes the assessment, and tells the
widgets through signals. Widgets never change the consult themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from decision_aid.consult import (
    Consult,
    HandoutGiven,
    Language,
    Outcome,
    Paper,
    PriorTreatment,
    Therapy,
    answer_at,
    answer_spec,
    set_answer_at,
)
from decision_aid.rules import Assessment, assess

if TYPE_CHECKING:
    from decision_aid.content import Content
    from decision_aid.course import CourseAssessment


class ConsultSession(QObject):
    """The consult in the window and its live assessment.

    Signals:
        consult_replaced: a whole new consult was loaded (New, Open); widgets show it afresh.
        assessment_changed: an answer changed; carries the new Assessment.
        modified_changed: carries True once answers differ from the last save or load.
    """

    consult_replaced = Signal()
    assessment_changed = Signal(object)
    modified_changed = Signal(bool)

    def __init__(self, content: Content, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.content = content
        self._consult = Consult()
        self._assessment = assess(self._consult, content)
        self._course: CourseAssessment | None = None
        self._modified = False

    @property
    def consult(self) -> Consult:
        return self._consult

    @property
    def assessment(self) -> Assessment:
        return self._assessment

    @property
    def modified(self) -> bool:
        return self._modified

    @property
    def course_assessment(self) -> CourseAssessment | None:
        """The course judged against its plan; None while there is no plan."""
        return self._course

    def set_course_part(self, name: str, value: object) -> None:
        """Replaces the plan, the visits or the course end (``plan``, ``course``,
        ``course_end``) with ``value`` in the file's own form (dicts and lists of the
        schema's field names), validated as the whole consult is when a file is read: a
        visit that breaks a rule of the record (days going back, an item 9 outcome without
        item 9) is refused with the path and the consult stays as it was.

        Raises:
            pydantic.ValidationError: the new part is refused; nothing changed.
        """
        data = self._consult.model_dump(mode="json")
        data[name] = value
        self._consult = type(self._consult).model_validate(data)
        self._changed()

    def answer(self, path: str) -> Any:
        """The current value of one answer, by dotted path."""
        return answer_at(self._consult, path)

    def asked(self, path: str) -> bool:
        """Whether the consult asks this question at all, as its answers stand now."""
        return answer_spec(path).asked(self._consult)

    def set_answer(self, path: str, value: Any) -> None:
        """Sets one answer (validated by the consult model) and reassesses.

        Raises:
            pydantic.ValidationError: the value is not allowed for that answer, or breaks a
                rule that ties two answers (PHQ-9 item 9 above the total); the consult is
                unchanged.
        """
        set_answer_at(self._consult, path, value)
        self._changed()

    def record_handout(self, language: Language, paper: Paper) -> None:
        """Records the handout just printed or saved, so that the note names the one given."""
        given = HandoutGiven(language=language, paper=paper, content_stamp=self.content.stamp)
        if self._consult.decision.handout != given:
            self._consult.decision.handout = given
            self._changed()

    def set_treatment(self, therapy: Therapy, outcome: Outcome | None) -> None:
        """Adds, changes or (with None) removes one prior treatment, keeping the list's order.

        A therapy just ticked is added with the outcome ``unknown``: how it went is never
        assumed."""
        entries = [entry for entry in self._consult.prior_treatments if entry.therapy != therapy]
        if outcome is not None:
            entries.append(PriorTreatment(therapy=therapy, outcome=outcome))
            order = list(Therapy)
            entries.sort(key=lambda entry: order.index(entry.therapy))
        self._consult.prior_treatments = entries
        self._changed()

    def replace(self, consult: Consult) -> None:
        """Shows another consult (a new one, or one opened from a file)."""
        self._consult = consult
        self._assess()
        self.consult_replaced.emit()
        self.assessment_changed.emit(self._assessment)
        self.mark_saved()

    def mark_saved(self) -> None:
        if self._modified:
            self._modified = False
            self.modified_changed.emit(False)

    def _assess(self) -> None:
        self._assessment = assess(self._consult, self.content)
        if getattr(self._consult, "plan", None) is None:
            self._course = None
            return
        # Only a consult with a plan loads the course code: start-up never does
        # (docs/design.md section 13.6).
        from decision_aid.course import assess_course

        self._course = assess_course(self._consult, self.content)

    def _changed(self) -> None:
        self._assess()
        self.assessment_changed.emit(self._assessment)
        if not self._modified:
            self._modified = True
            self.modified_changed.emit(True)
