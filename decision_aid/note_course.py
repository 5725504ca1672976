"""The clinician note's course block (docs/design.md section 13.4; docs/design.md here, "Note
and FHIR of a course"): the plan in one sentence, the record, the status with its judgement
and measures, the course's findings and the course's end, each in the pack's words
(``course_words.yaml``).

The block holds no date of any kind: time is the count of days since the course's first
visit. It can shorten, step by step, as the whole note must (``note.py`` orders the steps
across the consult's part and this one): information findings go, the pain series keeps its
last six values, the plan sentence takes its short form, caution texts shorten to their key
sentences, cautions go (counted); urgent, stop and check findings are never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Final, NamedTuple

from decision_aid.catalogue import Level
from decision_aid.consult import PAIN_MEASURES, Measure, tenths

if TYPE_CHECKING:
    from decision_aid.consult import Consult, Plan, Visit
    from decision_aid.content import Content, NoteWords, Plural
    from decision_aid.course import CourseAssessment, MeasureResult
    from decision_aid.findings import Finding

# The pain series keeps this many last values when the note shortens (docs/design.md 13.4).
SERIES_KEPT: Final = 6
_INFUSIONS: Final = frozenset({"given", "stopped_early"})
# The course's findings carry rule ids of their own; the screening's, repeated in a course
# assessment, are in the consult's part of the note already.
_COURSE_RULES: Final = "course."


# A sentence ends at a full stop, question or exclamation mark before the capital (or the
# opening bracket or quotation mark) of the next.
_SENTENCE_END: Final = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'])")


def key_sentence(text: str) -> str:
    """The first sentence of a finding's text: written to stand alone and to name what fired
    the finding, it is what the note keeps when it shortens (docs/design.md section 8)."""
    return _SENTENCE_END.split(text, maxsplit=1)[0]


def finding_sources(finding: Finding, content: Content) -> str:
    """Short citations, such as "Cohen 2018; Noppers 2011"."""
    shorts = (content.evidence.sources[key].short.split(" (")[0] for key in finding.citations)
    return "; ".join(dict.fromkeys(shorts))


class CourseFindingLines(NamedTuple):
    """One finding of the course as the note can show it: its line starts with ``start``
    ("URGENT: ", "- Stop: "), then its text or key sentence, then its sources."""

    level: Level
    urgent: bool
    start: str
    text: str
    key: str
    sources: str
    title: str

    def line(self, form: int) -> str:
        """The line in one of the forms of :class:`CourseBlock` (``FULL`` ... ``BARE``)."""
        if form == FULL:
            return self.start + self.text + self.sources
        if form == KEY:
            return self.start + self.key + self.sources
        return self.start + self.key


# The forms of a finding kept whatever the length (urgent, stop, check), fullest first: its
# text, its key sentence, the key sentence without sources, the key sentences of one level on
# one line, where as the last resort before the note is cut the least severe give way to
# their titles (as the consult's part does, docs/design.md here, section 8).
FULL, KEY, BARE, JOINED = range(4)


def _whole(value: Decimal) -> str:
    """A number as a clinician writes it: 420, 420.5 (never 420.0 nor 4.2E+2)."""
    return format(value.normalize(), "f")


def _tenths_text(value: int) -> str:
    return _whole(Decimal(value) / 10)


def measure_percent(plan: Plan, measure: Measure, content: Content) -> int | None:
    """The fall a measure asks for, in percent: the pack's pain thresholds, or the plan's
    FIQR percent; None for the PGIC."""
    thresholds = content.rulebook.course_thresholds
    if measure is Measure.PAIN_30:
        return thresholds.pain_30_percent.value
    if measure is Measure.PAIN_50:
        return thresholds.pain_50_percent.value
    return plan.fiqr_drop_percent if measure is Measure.FIQR_DROP else None


def measure_target(plan: Plan, measure: Measure, content: Content) -> str | None:
    """The largest value that meets a measure, as the plan sentence prints it (``4``, or an
    FIQR total in tenths, ``49.6``), in the course assessment's exact arithmetic; None when
    the plan lacks what it needs."""
    percent = measure_percent(plan, measure, content)
    if percent is None:
        return None
    if measure in PAIN_MEASURES:
        baseline = plan.baseline.pain_week
        # 100 x pain <= (100 - percent) x baseline: 4 or less from 7 for 30%.
        return None if baseline is None else str(baseline * (100 - percent) // 100)
    fiqr = plan.baseline.fiqr_total
    return None if fiqr is None else _tenths_text(tenths(fiqr) * (100 - percent) // 100)


def plan_sentence(plan: Plan, content: Content, *, short: bool) -> str:
    """The plan in one sentence, or in its short form."""
    words = content.course
    note = words.note
    unknown = note.not_chosen
    measures = []
    for measure in plan.measures:
        template = (note.measures_short if short else note.measures)[measure.value]
        baseline = plan.baseline
        measures.append(
            template.format(
                baseline=(
                    _tenths_text(tenths(baseline.fiqr_total))
                    if measure is Measure.FIQR_DROP and baseline.fiqr_total is not None
                    else baseline.pain_week
                    if measure in PAIN_MEASURES and baseline.pain_week is not None
                    else unknown
                ),
                target=measure_target(plan, measure, content) or unknown,
                percent=measure_percent(plan, measure, content) or unknown,
            )
        )
    stops = [
        note.stops_short[rule.value] if short else words.value("plan.stop_rules", rule)
        for rule in plan.stop_rules
    ]
    every = plan.liver_tests_every
    if short:
        liver = note.liver_short.format(every=every) if every else note.no_liver_short
        no_stops = note.no_stops_short
    else:
        liver = note.liver.format(every=every) if every else note.no_liver
        no_stops = note.no_stops
    judge = plan.judge_after_infusions if plan.judge_after_infusions is not None else unknown
    template = note.plan_short if short else note.plan
    return template.format(
        status=words.value("plan.made_at_status", plan.made_at_status),
        measures=words.joined(measures, short=short) if measures else note.no_measures,
        judge=judge,
        stops=", ".join(stops) if stops else no_stops,
        liver=liver,
    )


def record_line(course: list[Visit], note: NoteWords, *, cut: bool) -> str:
    """Infusions over days and visits without one; the pain series (its last six values when
    ``cut``); the doses summed when any is recorded."""
    if not course:
        return note.no_visits
    infused = [visit for visit in course if visit.infusion.value in _INFUSIONS]
    stopped = sum(visit.infusion.value == "stopped_early" for visit in course)
    reviews = len(course) - len(infused)
    head = note.infusions.of(len(infused))
    if stopped:
        head += " " + note.stopped_early.format(count=stopped)
    head += " " + note.days.of(course[-1].day)
    if reviews:
        head += " " + note.reviews.of(reviews)
    values = [
        str(visit.pain_week) if visit.pain_week is not None else note.pain_missing
        for visit in course
    ]
    if cut and len(values) > SERIES_KEPT:
        values = [note.series_cut, *values[-SERIES_KEPT:]]
    parts = [head, note.pain_series.format(values=", ".join(values))]
    doses = [Decimal(str(visit.dose_mg)) for visit in course if visit.dose_mg is not None]
    if doses:
        parts.append(
            note.doses.format(
                mg=_whole(sum(doses, Decimal(0))), count=note.dose_visits.of(len(doses))
            )
        )
    return "; ".join(parts) + "."


def _change(baseline: int, value: int, note: NoteWords) -> str:
    """The change from baseline in whole percent, rounded half up, in exact arithmetic."""
    if baseline == 0:
        return note.lower.format(percent=0)
    fall = baseline - value
    percent = (200 * abs(fall) + baseline) // (2 * baseline)
    return (note.lower if fall >= 0 else note.higher).format(percent=percent)


def status_line(
    course: CourseAssessment,
    consult: Consult,
    plan: Plan,
    content: Content,
    *,
    measures: bool = True,
) -> str:
    """The status with its judgement and, unless ``measures`` is False, each measure at the
    judgement visit."""
    words = content.course
    note = words.note
    line = note.status.format(status=note.statuses[course.status.value])
    judge = (
        plan.judge_after_infusions if plan.judge_after_infusions is not None else note.not_chosen
    )
    details = []
    if course.judged_at is not None:
        details.append(note.judged.of(course.judged_at.infusions, judge=judge))
    else:
        given = sum(visit.infusion.value in _INFUSIONS for visit in consult.course)
        details.append(note.not_judged.format(infusions=given, judge=judge))
    results = [
        _result_text(Measure(measure), result, content)
        for measure, result in course.measures.items()
    ]
    if course.judged_at is not None and results and measures:
        details[-1] += ": " + "; ".join(results)
    missing = [path for path in course.missing if path.startswith(("plan", "course"))]
    if missing:
        details.append(note.missing.of(len(missing)))
    return line + ", " + "; ".join(details) + "."


def _result_text(measure: Measure, result: MeasureResult, content: Content) -> str:
    """One measure at the judgement visit: "pain 4, 43% lower than 7, met"."""
    words = content.course
    note = words.note
    met = note.met["unknown" if result.met is None else str(result.met).lower()]
    value, baseline = result.value, result.baseline
    if measure is Measure.PGIC_MUCH:
        if not isinstance(value, str):
            return note.pgic_unrecorded.format(met=met)
        return note.pgic_result.format(value=words.value("visit.pgic", value), met=met)
    fiqr = measure is Measure.FIQR_DROP
    if not isinstance(value, int | float) or not isinstance(baseline, int | float):
        return (note.fiqr_unrecorded if fiqr else note.pain_unrecorded).format(met=met)
    if fiqr:
        # In tenths, as the assessment judges them.
        old, new = tenths(baseline), tenths(value)
        return note.fiqr_result.format(
            value=_tenths_text(new),
            change=_change(old, new, note),
            baseline=_tenths_text(old),
            met=met,
        )
    old, new = int(baseline), int(value)
    return note.pain_result.format(value=new, change=_change(old, new, note), baseline=old, met=met)


def findings_of(course: CourseAssessment, content: Content) -> list[CourseFindingLines]:
    """The course's own findings, urgent first, then the most serious first."""
    levels = content.rulebook.levels
    found = []
    for finding in (*course.urgent, *course.findings):
        if not finding.rule.startswith(_COURSE_RULES):
            continue
        sources = f" [{finding_sources(finding, content)}]" if finding.citations else ""
        start = "URGENT: " if finding.urgent else f"- {levels[finding.level]}: "
        found.append(
            CourseFindingLines(
                finding.level,
                finding.urgent,
                start,
                finding.text,
                key_sentence(finding.text),
                sources,
                finding.title,
            )
        )
    unique = list(dict.fromkeys(found))
    return sorted(unique, key=lambda lines: (not lines.urgent, list(Level).index(lines.level)))


# Never dropped, never shortened to a title (docs/design.md sections 8 and 13.4).
KEPT_LEVELS: Final = frozenset({Level.STOP, Level.CHECK})


@dataclass(frozen=True, slots=True)
class CourseBlock:
    """The course block and how much of it the note shows."""

    plan_full: str
    plan_short: str
    record_full: str
    record_cut: str
    status_full: str
    status_short: str
    findings: tuple[CourseFindingLines, ...]
    end: str | None
    more: Plural
    # How it is shortened, in the order the note takes the steps.
    info_shown: int = 10**6
    series_cut: bool = False
    short_plan: bool = False
    caution_keys: bool = False
    cautions_shown: int = 10**6
    # The form of the findings never dropped (FULL ... TITLES), and the status line without
    # its measures.
    kept_form: int = FULL
    short_status: bool = False
    # In the joined form, the kept findings from this one on (urgent ones aside) by title.
    titles_from: int = 10**6

    @property
    def infos(self) -> int:
        return sum(lines.level is Level.INFO and not lines.urgent for lines in self.findings)

    @property
    def cautions(self) -> int:
        return sum(
            lines.level not in KEPT_LEVELS | {Level.INFO} and not lines.urgent
            for lines in self.findings
        )

    def lines(self) -> tuple[str, ...]:
        shown = [self.plan_short if self.short_plan else self.plan_full]
        shown.append(self.record_cut if self.series_cut else self.record_full)
        shown.append(self.status_short if self.short_status else self.status_full)
        infos = cautions = dropped = kept = 0
        joined: dict[str, list[str]] = {}
        for lines in self.findings:
            if lines.urgent or lines.level in KEPT_LEVELS:
                if self.kept_form == JOINED and not lines.urgent:
                    if lines.start not in joined:
                        shown.append(lines.start)  # replaced by the joined line below
                    titled = kept >= self.titles_from
                    kept += 1
                    joined.setdefault(lines.start, []).append(
                        lines.title if titled else lines.key.removesuffix(".")
                    )
                else:
                    shown.append(lines.line(min(self.kept_form, BARE)))
            elif lines.level is Level.INFO:
                infos += 1
                if infos <= self.info_shown:
                    shown.append(lines.line(FULL))
                else:
                    dropped += 1
            else:
                cautions += 1
                if cautions <= self.cautions_shown:
                    shown.append(lines.line(KEY if self.caution_keys else FULL))
                else:
                    dropped += 1
        for start, texts in joined.items():
            shown[shown.index(start)] = start + "; ".join(texts)
        if dropped:
            shown.append(self.more.of(dropped))
        if self.end is not None:
            shown.append(self.end)
        return tuple(shown)

    @property
    def kept(self) -> int:
        """The findings never dropped, urgent ones aside."""
        return sum(lines.level in KEPT_LEVELS and not lines.urgent for lines in self.findings)

    def titling(self) -> list[CourseBlock]:
        """Each joined form with one more kept finding by its title, the least severe first."""
        joined = replace(self, kept_form=JOINED)
        return [replace(joined, titles_from=first) for first in reversed(range(self.kept))]

    def dropping_information(self) -> list[CourseBlock]:
        """Each form with one information finding fewer, the last first."""
        return [replace(self, info_shown=shown) for shown in reversed(range(self.infos))]

    def dropping_cautions(self) -> list[CourseBlock]:
        """Each form with one caution fewer, the least severe first."""
        return [replace(self, cautions_shown=shown) for shown in reversed(range(self.cautions))]


def course_block(consult: Consult, course: CourseAssessment, content: Content) -> CourseBlock:
    """The course block of a consult with a plan, in its fullest form."""
    plan = consult.plan
    if plan is None:
        raise ValueError("a course block needs a plan")
    note = content.course.note
    end = (
        note.ended.format(
            reason=content.course.value("course_end.reason", consult.course_end.reason)
        )
        if consult.course_end is not None
        else None
    )
    return CourseBlock(
        plan_full=plan_sentence(plan, content, short=False),
        plan_short=plan_sentence(plan, content, short=True),
        record_full=record_line(consult.course, note, cut=False),
        record_cut=record_line(consult.course, note, cut=True),
        status_full=status_line(course, consult, plan, content),
        status_short=status_line(course, consult, plan, content, measures=False),
        findings=tuple(findings_of(course, content)),
        end=end,
        more=note.more_findings,
    )


def course_summary(consult: Consult, content: Content) -> str:
    """The record and the status as the note prints them, for a reader of the chart (its
    accessible description); empty without a plan."""
    from decision_aid.course import assess_course

    course = assess_course(consult, content)
    if course is None or consult.plan is None:
        return ""
    note = content.course.note
    record = record_line(consult.course, note, cut=False)
    return record + " " + status_line(course, consult, consult.plan, content)
