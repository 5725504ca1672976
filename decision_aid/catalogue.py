"""The rule catalogue's fixed part: rule ids, levels and the statuses (design.md section 5).

The ids, levels and statuses are contracts (saved exports, tests and scripts use them), so they
live in code. What a rule says to the clinician and which sources it cites is content, in
``resources/rules.yaml``, checked against this catalogue when the content is loaded.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final, NamedTuple


class Level(StrEnum):
    STOP = "stop"
    CAUTION = "caution"
    FIRST = "first"
    INFO = "info"


class Status(StrEnum):
    """The assessment's status, declared from best to worst."""

    MAY_DISCUSS = "may_discuss"
    STANDARD_CARE_FIRST = "standard_care_first"
    SPECIALIST_REVIEW = "specialist_review"
    INCOMPLETE = "incomplete"
    NOT_ADVISED = "not_advised"

    @property
    def rank(self) -> int:
        """0 for the best status, higher for worse ones."""
        return _STATUS_RANK[self]


_STATUS_RANK: Final = {status: rank for rank, status in enumerate(Status)}


class RuleSpec(NamedTuple):
    level: Level
    # The {names} a rule's texts may use; rules.py fills exactly these.
    placeholders: frozenset[str] = frozenset()
    # Named extra sentences the rule adds when a condition holds (for example the coverage
    # answer for info.insurance); the content must give every one of them.
    variants: frozenset[str] = frozenset()
    urgent: bool = False


_COVERAGE_VARIANTS: Final = frozenset(
    {
        "commercial",
        "medicare",
        "medicaid",
        "military",
        "uninsured",
        "other",
        "unknown",
        "covers_yes_prior_auth",
        "covers_no",
        "self_pay_no",
        "self_pay_unsure",
    }
)

RULES: Final[dict[str, RuleSpec]] = {
    "stop.age": RuleSpec(Level.STOP, frozenset({"age"})),
    "stop.pregnancy": RuleSpec(Level.STOP),
    "stop.psychosis_active": RuleSpec(Level.STOP),
    "stop.cardiovascular": RuleSpec(Level.STOP),
    "stop.liver_severe": RuleSpec(Level.STOP),
    "stop.intracranial_pressure": RuleSpec(Level.STOP),
    "stop.intraocular_pressure": RuleSpec(Level.STOP),
    "stop.substance_use_active": RuleSpec(Level.STOP),
    "stop.hypersensitivity": RuleSpec(Level.STOP),
    "caution.cardiovascular": RuleSpec(Level.CAUTION),
    "caution.liver": RuleSpec(Level.CAUTION, variants=frozenset({"liver", "alcohol"})),
    "caution.psychosis_history": RuleSpec(Level.CAUTION),
    "caution.substance_use_remission": RuleSpec(
        Level.CAUTION, variants=frozenset({"ketamine_or_dissociatives"})
    ),
    "caution.pregnancy_other": RuleSpec(
        Level.CAUTION, variants=frozenset({"breastfeeding", "planning"})
    ),
    "caution.medications": RuleSpec(
        Level.CAUTION,
        variants=frozenset({"benzodiazepine", "opioid", "lamotrigine", "other_cns_depressant"}),
    ),
    "caution.urinary": RuleSpec(Level.CAUTION),
    "urgent.self_harm": RuleSpec(Level.CAUTION, frozenset({"item9"}), urgent=True),
    "first.diagnosis": RuleSpec(
        Level.FIRST,
        frozenset({"months", "wpi", "sss"}),
        variants=frozenset({"not_confirmed", "short_duration", "criterion_not_met"}),
    ),
    "first.standard_care": RuleSpec(
        Level.FIRST,
        frozenset({"untried", "failed_classes"}),
        variants=frozenset({"no_exercise", "few_classes", "helping"}),
    ),
    "info.evidence_fm": RuleSpec(Level.INFO),
    "info.crps": RuleSpec(Level.INFO),
    "info.depression_trd": RuleSpec(Level.INFO),
    "info.depression_current": RuleSpec(
        Level.INFO, frozenset({"total", "band"}), variants=frozenset({"with_total"})
    ),
    "info.insurance": RuleSpec(Level.INFO, variants=_COVERAGE_VARIANTS),
}

# The answers that must be known before the assessment is complete (design.md section 5).
REQUIRED_FIELDS: Final = (
    "patient.age_years",
    "patient.pregnancy",
    "safety.cardiovascular",
    "safety.liver",
    "safety.psychosis",
    "safety.intracranial_pressure",
    "safety.intraocular_pressure",
    "substance_use.status",
    "safety.ketamine_hypersensitivity",
)

# PHQ-9 severity bands by lower bound (Kroenke 2001); their names are content.
PHQ9_BANDS: Final = (
    (20, "severe"),
    (15, "moderately_severe"),
    (10, "moderate"),
    (5, "mild"),
    (0, "minimal"),
)
