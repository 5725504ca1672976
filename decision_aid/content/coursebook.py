"""``rules.yaml``'s course part: what each rule of the course assessment says, the thresholds
it judges by with their sources, and the words of its statuses and measures (docs/design.md
section 13.2; docs/design.md here, "Trial plan and course").

Every threshold is content, with the citation keys of fact base section 16: the course
assessment reads it from here and prints it beside the finding it fires.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Final

from pydantic import AfterValidator, Field, StrictInt

from decision_aid.catalogue import COURSE_RULES, CourseStatus, Level
from decision_aid.content.base import CitationKey, FrozenModel
from decision_aid.content.checks import check_template

if TYPE_CHECKING:
    from collections.abc import Mapping

    from decision_aid.content.base import Text
    from decision_aid.content.rulebook import RuleText

# The measures a plan may choose (consult.Measure), and what a measure's line fills in.
MEASURES: Final = ("pain_30", "pain_50", "pgic_much", "fiqr_drop")
MEASURE_PLACEHOLDERS: Final = frozenset({"baseline", "value", "target", "result"})
RESULTS: Final = ("met", "not_met", "unknown")


def _one_decimal(value: float) -> float:
    if round(value, 1) != value:
        raise ValueError(f"{value} has more than one decimal")
    return value


class WholeThreshold(FrozenModel):
    """A whole-number threshold (mmHg, a percent, a pain score) and its sources."""

    value: Annotated[StrictInt, Field(ge=1, le=300)]
    citations: tuple[CitationKey, ...] = Field(min_length=1)


class UlnThreshold(FrozenModel):
    """A multiple of the laboratory's upper limit of normal, with one decimal, and its
    sources."""

    value: Annotated[float, Field(gt=0, le=100), AfterValidator(_one_decimal)]
    citations: tuple[CitationKey, ...] = Field(min_length=1)


class CourseThresholds(FrozenModel):
    """Every number the course assessment judges by (fact base section 16c)."""

    pain_30_percent: WholeThreshold
    pain_50_percent: WholeThreshold
    low_baseline_pain: WholeThreshold
    # Above these before an infusion (either number over its limit).
    bp_before_systolic: WholeThreshold
    bp_before_diastolic: WholeThreshold
    bp_before_high_systolic: WholeThreshold
    bp_before_high_diastolic: WholeThreshold
    # A rise of at least these from before the infusion, or a reading of at least these.
    bp_rise_systolic: WholeThreshold
    bp_rise_diastolic: WholeThreshold
    bp_peak_systolic: WholeThreshold
    bp_peak_diastolic: WholeThreshold
    # ALT or AST at least this, with bilirubin above the next: the Hy's law pattern.
    liver_transaminase: UlnThreshold
    liver_bilirubin: UlnThreshold
    liver_alp: UlnThreshold
    liver_normal: UlnThreshold

    def citations(self) -> tuple[str, ...]:
        """Every key the thresholds cite, once each."""
        keys = (key for name in type(self).model_fields for key in getattr(self, name).citations)
        return tuple(dict.fromkeys(keys))


def check_course_texts(
    rules: Mapping[str, RuleText],
    statuses: Mapping[CourseStatus, Text],
    measures: Mapping[str, Text],
    results: Mapping[str, Text],
) -> None:
    """Checks the course part of the rule book against the course catalogue.

    Raises:
        ValueError: a rule without a text or unknown, variants not as the catalogue says, a
            sourced rule citing nothing, a placeholder a text may not use, or a status,
            measure or result without its words.
    """
    missing = sorted(set(COURSE_RULES) - set(rules))
    unknown = sorted(set(rules) - set(COURSE_RULES))
    if missing:
        raise ValueError(f"course rules without a text: {', '.join(missing)}")
    if unknown:
        raise ValueError(f"unknown course rule ids: {', '.join(unknown)}")
    for rule_id, spec in COURSE_RULES.items():
        entry = rules[rule_id]
        where = f"course_rules.{rule_id}"
        variants = entry.variants
        expected = spec.variants if spec.variant_texts else frozenset()
        if set(variants) != expected:
            raise ValueError(
                f"{where}: variants must be exactly {', '.join(sorted(expected)) or '(none)'}"
            )
        citations = entry.citations
        if spec.sourced and not citations:
            raise ValueError(f"{where}: cites no source")
        if not spec.sourced and spec.level is Level.STOP and citations:
            raise ValueError(f"{where}: cites the section 5 rules it names, not sources of its own")
        if "{" in entry.title or "}" in entry.title:
            raise ValueError(f"{where}.title: a title takes no {{placeholders}} or braces")
        check_template(entry.text, spec.placeholders, f"{where}.text")
        for name, template in variants.items():
            check_template(template, spec.placeholders, f"{where}.variants.{name}")
    if set(statuses) != set(CourseStatus):
        raise ValueError("course_statuses must name every course status")
    if set(measures) != set(MEASURES):
        raise ValueError(f"course_measures must be exactly {', '.join(MEASURES)}")
    for name, template in measures.items():
        check_template(template, MEASURE_PLACEHOLDERS, f"course_measures.{name}")
    if set(results) != set(RESULTS):
        raise ValueError(f"course_results must be exactly {', '.join(RESULTS)}")
    for name, words in results.items():
        check_template(words, None, f"course_results.{name}")
