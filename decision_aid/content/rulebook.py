"""``rules.yaml``: what each rule of decision_aid.catalogue says to the clinician."""

from __future__ import annotations

from pydantic import Field, model_validator

from decision_aid.catalogue import PHQ9_BANDS, RULES, CourseStatus, Level, Status
from decision_aid.content.base import CitationKey, FrozenModel, Text
from decision_aid.content.checks import check_template
from decision_aid.content.coursebook import CourseThresholds, check_course_texts


class RuleText(FrozenModel):
    """What a rule says to the clinician and which sources it cites.

    A variant (an extra sentence added when its condition holds) may cite sources of its own,
    such as each medicine's sentence of caution.medications; a finding cites the rule's
    sources and those of the variants it shows.
    """

    title: Text
    text: Text
    variants: dict[str, Text] = Field(default_factory=dict)
    variant_citations: dict[str, tuple[CitationKey, ...]] = Field(default_factory=dict)
    # Only a check rule (two answers that contradict each other) may cite nothing.
    citations: tuple[CitationKey, ...] = ()


class RuleBook(FrozenModel):
    rules: dict[str, RuleText]
    statuses: dict[Status, Text]
    status_explanations: dict[Status, Text]
    levels: dict[Level, Text]
    phq9_bands: dict[str, Text]
    # The course assessment's part (docs/design.md section 13.2): its rules, the thresholds
    # it judges by, the words of its statuses, and a line per measure with its result.
    course_rules: dict[str, RuleText]
    course_thresholds: CourseThresholds
    course_statuses: dict[CourseStatus, Text]
    course_measures: dict[str, Text]
    course_results: dict[str, Text]

    @model_validator(mode="after")
    def _matches_catalogue(self) -> RuleBook:
        missing = sorted(set(RULES) - set(self.rules))
        unknown = sorted(set(self.rules) - set(RULES))
        if missing:
            raise ValueError(f"rules without a text: {', '.join(missing)}")
        if unknown:
            raise ValueError(f"unknown rule ids: {', '.join(unknown)}")
        for rule_id, spec in RULES.items():
            entry = self.rules[rule_id]
            if set(entry.variants) != spec.variants:
                raise ValueError(
                    f"rule {rule_id}: variants must be exactly "
                    f"{', '.join(sorted(spec.variants)) or '(none)'}"
                )
            stray = sorted(set(entry.variant_citations) - spec.variants)
            if stray:
                raise ValueError(f"rule {rule_id}: variant_citations for no variant: {stray[0]}")
            if not entry.citations and spec.level is not Level.CHECK:
                raise ValueError(f"rule {rule_id}: cites no source (only a check rule may not)")
            where = f"rules.{rule_id}"
            if "{" in entry.title or "}" in entry.title:
                raise ValueError(f"{where}.title: a title takes no {{placeholders}} or braces")
            check_template(entry.text, spec.allowed(), f"{where}.text")
            for name, template in entry.variants.items():
                check_template(template, spec.allowed(name), f"{where}.variants.{name}")
        for name, enum_type in (("statuses", Status), ("status_explanations", Status)):
            if set(getattr(self, name)) != set(enum_type):
                raise ValueError(f"{name} must name every status")
        if set(self.levels) != set(Level):
            raise ValueError("levels must name every level")
        if set(self.phq9_bands) != {band for _, band in PHQ9_BANDS}:
            raise ValueError("phq9_bands must name every PHQ-9 band")
        check_course_texts(
            self.course_rules, self.course_statuses, self.course_measures, self.course_results
        )
        return self
