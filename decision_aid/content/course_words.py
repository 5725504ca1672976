"""``course_words.yaml``: the words of a trial plan and of its course's record (docs/design.md
section 13): each field's label, its values' words, and the clinician note's course block.

The fields themselves are the consult model's (``consult/plan.py``): :func:`course_fields`
walks the plan, a visit and the course's end, so that the pack is held to name every field and
every value, in the program's order, and the FHIR Questionnaires are built from the same walk.
"""

from __future__ import annotations

import enum
import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any, Final, Literal

import annotated_types
from pydantic import BaseModel, Field, model_validator
from pydantic.fields import FieldInfo

from decision_aid.catalogue import CourseStatus
from decision_aid.consult import CourseEnd, Plan, Visit
from decision_aid.content.base import CitationKey, FrozenModel, Text
from decision_aid.content.checks import check_template

# The roots of the walk: the consult's plan and course end by their own paths, and a visit as
# the visit Questionnaire names it (``visit.day``; in the consult file, ``course[i].day``).
PLAN: Final = "plan"
COURSE_END: Final = "course_end"
VISIT: Final = "visit"

Kind = Literal["group", "choice", "integer", "decimal", "code"]


@dataclass(frozen=True, slots=True)
class CourseField:
    """One field of the plan, a visit or the course's end, as a form asks it."""

    path: str
    kind: Kind
    # The allowed values in the program's order (a choice); None for other kinds.
    choices: tuple[str, ...] | None = None
    # A list of values (several may be ticked).
    repeats: bool = False
    # A list whose null ("not asked") differs from [] ("none of these").
    none_of_these: bool = False
    # A number's range.
    bounds: tuple[float, float] | None = None
    # The model makes it required where its parent is given.
    required: bool = False


def _walk(model: type[BaseModel], prefix: str) -> typing.Iterator[CourseField]:
    for name, info in model.model_fields.items():
        path = f"{prefix}.{name}"
        annotation = info.annotation
        optional = False
        if typing.get_origin(annotation) in (typing.Union, types.UnionType):
            kinds = [kind for kind in typing.get_args(annotation) if kind is not type(None)]
            optional = len(kinds) < len(typing.get_args(annotation))
            annotation = kinds[0]
        # A bound is the field's own, or its type alias's (``Tenths100``).
        metadata = list(info.metadata)
        while typing.get_origin(annotation) is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            for item in extra:
                metadata.extend(item.metadata if isinstance(item, FieldInfo) else [item])
        required = info.is_required()
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield CourseField(path, "group", required=required)
            yield from _walk(annotation, path)
            continue
        repeats = typing.get_origin(annotation) is list
        if repeats:
            annotation = typing.get_args(annotation)[0]
            while typing.get_origin(annotation) is typing.Annotated:
                annotation = typing.get_args(annotation)[0]
        if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            yield CourseField(
                path,
                "choice",
                choices=tuple(str(member.value) for member in annotation),
                repeats=repeats,
                none_of_these=repeats and optional,
                required=required,
            )
        elif annotation is str:
            # The rule ids the program records when a plan is made.
            yield CourseField(path, "code", repeats=repeats, required=required)
        else:
            low: Any = None
            high: Any = None
            for bound in metadata:
                if isinstance(bound, annotated_types.Ge):
                    low = bound.ge
                elif isinstance(bound, annotated_types.Le):
                    high = bound.le
            kind: Kind = "integer" if annotation is int else "decimal"
            bounds = (float(low), float(high)) if low is not None and high is not None else None
            yield CourseField(path, kind, bounds=bounds, required=required)


@cache
def course_fields() -> dict[str, CourseField]:
    """Every field of the plan, of the course's end and of a visit, by its path (``plan``,
    ``plan.baseline.pain_week``, ``course_end.reason``, ``visit.bp_peak.systolic``), groups
    before their parts, in the models' order."""
    fields = {
        PLAN: CourseField(PLAN, "group"),
        **{field.path: field for field in _walk(Plan, PLAN)},
        COURSE_END: CourseField(COURSE_END, "group"),
        **{field.path: field for field in _walk(CourseEnd, COURSE_END)},
    }
    fields.update({field.path: field for field in _walk(Visit, VISIT)})
    return fields


class Plural(FrozenModel):
    """A text with a count: ``one`` for 1, ``other`` (with ``{count}``) for any other."""

    one: Text
    other: Text

    def of(self, count: int, **names: object) -> str:
        return (self.one if count == 1 else self.other).format(count=count, **names)


class NoteWords(FrozenModel):
    """The clinician note's course block (docs/design.md section 13.4)."""

    plan: Text
    plan_short: Text
    measures_joined: Text
    measures_joined_short: Text
    measures: dict[str, Text]
    measures_short: dict[str, Text]
    no_measures: Text
    stops_short: dict[str, Text]
    no_stops: Text
    no_stops_short: Text
    not_chosen: Text
    liver: Text
    liver_short: Text
    no_liver: Text
    no_liver_short: Text
    no_visits: Text
    infusions: Plural
    stopped_early: Text
    days: Plural
    reviews: Plural
    pain_series: Text
    pain_missing: Text
    series_cut: Text
    doses: Text
    dose_visits: Plural
    status: Text
    judged: Plural
    not_judged: Text
    missing: Plural
    statuses: dict[str, Text]
    pain_result: Text
    fiqr_result: Text
    pgic_result: Text
    pain_unrecorded: Text
    fiqr_unrecorded: Text
    pgic_unrecorded: Text
    lower: Text
    higher: Text
    met: dict[str, Text]
    ended: Text
    more_findings: Plural


# The {names} each text of the note is filled with.
_NOTE_TEMPLATES: Final[dict[str, frozenset[str]]] = {
    "plan": frozenset({"status", "measures", "judge", "stops", "liver"}),
    "plan_short": frozenset({"measures", "judge", "stops", "liver"}),
    "liver": frozenset({"every"}),
    "liver_short": frozenset({"every"}),
    "stopped_early": frozenset({"count"}),
    "pain_series": frozenset({"values"}),
    "doses": frozenset({"mg", "count"}),
    "status": frozenset({"status"}),
    "not_judged": frozenset({"infusions", "judge"}),
    "pain_result": frozenset({"value", "change", "baseline", "met"}),
    "fiqr_result": frozenset({"value", "change", "baseline", "met"}),
    "pgic_result": frozenset({"value", "met"}),
    "pain_unrecorded": frozenset({"met"}),
    "fiqr_unrecorded": frozenset({"met"}),
    "pgic_unrecorded": frozenset({"met"}),
    "lower": frozenset({"percent"}),
    "higher": frozenset({"percent"}),
    "ended": frozenset({"reason"}),
}
_MEASURE_NAMES: Final = frozenset({"baseline", "target", "percent"})


class CitedText(FrozenModel):
    """A clinical statement and the sources it rests on (keys of ``evidence.yaml``, checked
    at load with every other citation of the pack)."""

    text: Text
    citations: tuple[CitationKey, ...] = Field(min_length=1)


# The visits' table's columns, in its order (``ui/course_table.py`` fills each).
TABLE_COLUMNS: Final = (
    "infusion",
    "day",
    "pain",
    "pgic",
    "fiqr",
    "blood_pressure",
    "dissociation",
    "item9",
    "bladder",
    "misuse",
    "liver",
    "side_effects",
)


class WindowWords(FrozenModel):
    """The Course step's own words beyond the fields' labels and values (docs/design.md
    section 13.3): the plan form's names of the measures and stop rules, its help, and the
    visits' table's headings."""

    no_plan_leaning: Text
    measures: dict[str, Text]
    fiqr_drop_chosen: Text
    measure_why: dict[str, CitedText]
    judge_help: CitedText
    always_stops: Text
    stop_rules: dict[str, Text]
    no_answer: dict[str, Text]
    liver_every: Text
    liver_every_number: Text
    help: dict[str, Text]
    columns: dict[str, Text]

    def citations(self) -> tuple[str, ...]:
        """Every source the Course step's texts cite, in order."""
        cited = [*self.measure_why.values(), self.judge_help]
        return tuple(key for text in cited for key in text.citations)


class CourseWords(FrozenModel):
    """Every course field's label, the words of its values, the note's course block and the
    Course step's own words."""

    labels: dict[str, Text]
    values: dict[str, dict[str, Text]]
    none_of_these: Text
    note: NoteWords
    window: WindowWords

    @model_validator(mode="after")
    def _every_field_and_value(self) -> CourseWords:
        fields = course_fields()
        missing = [path for path in fields if path not in self.labels]
        unknown = [path for path in self.labels if path not in fields]
        if missing or unknown:
            raise ValueError(
                f"labels: {'no label for ' + ', '.join(missing) if missing else ''}"
                f"{'; ' if missing and unknown else ''}"
                f"{'not a field: ' + ', '.join(unknown) if unknown else ''}"
            )
        choices = {path: field.choices for path, field in fields.items() if field.choices}
        for path, values in choices.items():
            if tuple(self.values.get(path, {})) != values:
                raise ValueError(f"values.{path}: must be exactly {', '.join(values)}, in order")
        stray = sorted(set(self.values) - set(choices))
        if stray:
            raise ValueError(f"values.{stray[0]}: not a field with values")
        for name, allowed in _NOTE_TEMPLATES.items():
            check_template(getattr(self.note, name), allowed, f"note.{name}")
        measures = choices[f"{PLAN}.measures"]
        for name in ("measures", "measures_short"):
            words: dict[str, str] = getattr(self.note, name)
            if tuple(words) != measures:
                raise ValueError(f"note.{name}: must be exactly {', '.join(measures)}, in order")
            for measure, text in words.items():
                check_template(text, _MEASURE_NAMES, f"note.{name}.{measure}")
        if tuple(self.note.stops_short) != choices[f"{PLAN}.stop_rules"]:
            raise ValueError("note.stops_short: must name every stop rule, in order")
        self._check_window(fields, choices)
        if set(self.note.statuses) != set(CourseStatus):
            raise ValueError(f"note.statuses: must be exactly {', '.join(CourseStatus)}")
        if set(self.note.met) != {"true", "false", "unknown"}:
            raise ValueError("note.met: must be exactly true, false, unknown")
        for plural in ("infusions", "days", "reviews", "missing", "dose_visits", "more_findings"):
            check_template(getattr(self.note, plural).other, frozenset({"count"}), f"note.{plural}")
            check_template(getattr(self.note, plural).one, None, f"note.{plural}.one")
        for form in ("one", "other"):
            names = frozenset({"count", "judge"})
            check_template(getattr(self.note.judged, form), names, f"note.judged.{form}")
        return self

    def _check_window(
        self, fields: dict[str, CourseField], choices: dict[str, tuple[str, ...]]
    ) -> None:
        window = self.window
        for name, path in (
            ("measures", "measures"),
            ("measure_why", "measures"),
            ("stop_rules", "stop_rules"),
        ):
            allowed = choices[f"{PLAN}.{path}"]
            if tuple(getattr(window, name)) != allowed:
                raise ValueError(f"window.{name}: must be exactly {', '.join(allowed)}, in order")
        check_template(window.fiqr_drop_chosen, frozenset({"percent"}), "window.fiqr_drop_chosen")
        for name in ("no_plan_leaning", "always_stops"):
            check_template(getattr(window, name), None, f"window.{name}")
        for name, text in window.measures.items():
            check_template(text, None, f"window.measures.{name}")
        for name, text in window.stop_rules.items():
            check_template(text, None, f"window.stop_rules.{name}")
        for name in ("help", "no_answer"):
            unknown = sorted(set(getattr(window, name)) - set(fields))
            if unknown:
                raise ValueError(f"window.{name}.{unknown[0]}: not a field")
        asked = {"plan.liver_tests_every", "visit.infusion", "visit.pgic", "visit.liver.status"}
        if set(window.no_answer) != asked:
            raise ValueError(f"window.no_answer: must be exactly {', '.join(sorted(asked))}")
        if tuple(window.columns) != TABLE_COLUMNS:
            raise ValueError(
                f"window.columns: must be exactly {', '.join(TABLE_COLUMNS)}, in order"
            )

    def shown(self, path: str, *, unknown_first: bool = True) -> dict[str, str]:
        """A field's values as a form offers them: each value's words with a capital first
        letter, "unknown" first (a choice's starting value) when it is one."""
        words = {code: text[:1].upper() + text[1:] for code, text in self.values[path].items()}
        if unknown_first and "unknown" in words:
            words = {"unknown": words.pop("unknown"), **words}
        return words

    def joined(self, parts: list[str], *, short: bool) -> str:
        """The measures of a plan sentence joined: "a and b", or "a, b" in the short form."""
        joiner = self.note.measures_joined_short if short else self.note.measures_joined
        between = f"{joiner} " if not joiner[-1].isalnum() else f" {joiner} "
        return between.join(parts)

    def label(self, path: str) -> str:
        return self.labels[path]

    def value(self, path: str, value: object) -> str:
        """A value's words, by its field's path (a visit's as ``visit.x``)."""
        code = value.value if isinstance(value, enum.Enum) else str(value)
        return self.values[path][code]


def bounds_of(field: CourseField) -> tuple[Any, Any]:
    """A number field's range as its kind writes it (whole numbers for an integer)."""
    if field.bounds is None:
        raise ValueError(f"{field.path}: a number without bounds")
    low, high = field.bounds
    return (int(low), int(high)) if field.kind == "integer" else (low, high)
