"""The rule catalogue's fixed part: rule ids, levels and statuses (docs/design.md section 5).
Which answers are required is in the table of answers, ``decision_aid/consult/answers.py``.

The ids, levels and statuses are contracts (saved exports, tests and scripts use them), so they
live in code. What a rule says to the clinician and which sources it cites is content, in
``resources/rules.yaml``, checked against this catalogue when the content is loaded.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final, NamedTuple


class Level(StrEnum):
    """How much a finding weighs, declared from the heaviest."""

    STOP = "stop"
    # Two answers contradict each other: the consult is incomplete until one is corrected.
    CHECK = "check"
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
    # The {names} a rule's texts may use; rules.py fills exactly these (a number that is not
    # known is filled as None).
    placeholders: frozenset[str] = frozenset()
    # Named extra sentences the rule adds when a condition holds (for example the coverage
    # answer for info.insurance); the content must give every one of them.
    variants: frozenset[str] = frozenset()
    urgent: bool = False
    # Placeholders that rules.py gives only when one variant is shown (that variant, then the
    # names): the rule's text and its other variants may not use them.
    only_with: tuple[str, frozenset[str]] | None = None

    def allowed(self, variant: str | None = None) -> frozenset[str]:
        """The {names} one text of the rule may use: its text (None) or a variant's."""
        if self.only_with is None:
            return self.placeholders
        shown, names = self.only_with
        return self.placeholders if variant == shown else self.placeholders - names


# The coverage sentence of info.insurance, one chosen by the coverage and the plan's answer,
# then the ability to self-pay when it is not "yes" (docs/design.md section 5).
_COVERAGE_VARIANTS: Final = frozenset(
    {
        "plan_unknown",
        "plan_prior_auth",
        "plan_does_not_cover",
        "medicare_abn",
        "uninsured",
        "coverage_unknown",
        "self_pay_no",
        "self_pay_unsure",
    }
)

# One sentence per medicine, each with its own source; thyroid hormone and lamotrigine change
# no status and are information.
_CAUTION_MEDICATIONS: Final = frozenset(
    {
        "benzodiazepine",
        "opioid",
        "gabapentinoid",
        "other_cns_depressant",
        "theophylline",
        "stimulant",
        "maoi",
        "memantine_or_dextromethorphan",
        "bupropion",
        "cyp_inhibitor_or_inducer",
    }
)
INFO_MEDICATIONS: Final = frozenset({"thyroid_hormone", "lamotrigine"})

# The rules in the order of the catalogue (docs/design.md section 5), which breaks ties between
# findings of one level.
RULES: Final[dict[str, RuleSpec]] = {
    "stop.age": RuleSpec(Level.STOP, frozenset({"age"})),
    "stop.pregnancy": RuleSpec(Level.STOP),
    "stop.psychosis_active": RuleSpec(Level.STOP),
    "stop.psychotic_disorder": RuleSpec(Level.STOP),
    "stop.cardiovascular": RuleSpec(Level.STOP),
    "stop.recent_heart_or_stroke_event": RuleSpec(Level.STOP),
    "stop.vascular_hazard": RuleSpec(Level.STOP),
    "stop.liver_severe": RuleSpec(Level.STOP),
    "stop.intracranial_pressure": RuleSpec(Level.STOP),
    "stop.intraocular_pressure": RuleSpec(Level.STOP),
    "stop.hyperthyroidism": RuleSpec(Level.STOP),
    "stop.porphyria": RuleSpec(Level.STOP),
    "stop.substance_use_active": RuleSpec(Level.STOP),
    # Ketamine among the substances used (substances), or misuse among the harms of earlier
    # ketamine treatment (harms): the note keeps which.
    "stop.ketamine_misuse_history": RuleSpec(
        Level.STOP, variants=frozenset({"substances", "harms"})
    ),
    "stop.ketamine_liver_injury": RuleSpec(Level.STOP),
    "stop.ketamine_bladder_injury": RuleSpec(Level.STOP),
    "stop.suicide_risk_high": RuleSpec(Level.STOP),
    "stop.hypersensitivity": RuleSpec(Level.STOP),
    "check.substances_vs_status": RuleSpec(
        Level.CHECK, variants=frozenset({"listed_while_none", "none_listed_while_use"})
    ),
    "check.phq9_vs_depression": RuleSpec(Level.CHECK, frozenset({"total"})),
    "check.age_vs_pregnancy": RuleSpec(Level.CHECK, frozenset({"age"})),
    "check.ketamine_harms_vs_exposure": RuleSpec(Level.CHECK),
    "caution.cardiovascular": RuleSpec(Level.CAUTION),
    "caution.earlier_heart_or_stroke_event": RuleSpec(Level.CAUTION),
    "caution.older_age": RuleSpec(Level.CAUTION, frozenset({"age"})),
    "caution.liver": RuleSpec(Level.CAUTION, variants=frozenset({"liver", "alcohol"})),
    "caution.psychosis_history": RuleSpec(Level.CAUTION),
    "caution.bipolar": RuleSpec(Level.CAUTION),
    "caution.dissociative_disorder": RuleSpec(Level.CAUTION),
    "caution.depression_severe": RuleSpec(
        Level.CAUTION, frozenset({"total"}), variants=frozenset({"severe", "trd"})
    ),
    "caution.substance_use_remission": RuleSpec(Level.CAUTION),
    "caution.esketamine_now": RuleSpec(Level.CAUTION),
    "caution.other_ketamine_now": RuleSpec(Level.CAUTION),
    "caution.ketamine_past_reaction": RuleSpec(
        Level.CAUTION,
        variants=frozenset({"severe_psychiatric_reaction", "blood_pressure_event"}),
    ),
    "caution.breastfeeding": RuleSpec(Level.CAUTION),
    "caution.pregnancy_planning": RuleSpec(Level.CAUTION),
    "caution.medications": RuleSpec(Level.CAUTION, variants=_CAUTION_MEDICATIONS),
    "caution.urinary": RuleSpec(Level.CAUTION),
    "caution.controlled_glaucoma": RuleSpec(Level.CAUTION),
    "caution.sleep_apnea": RuleSpec(Level.CAUTION, variants=frozenset({"with_sedatives"})),
    # Urgent while today's suicide-risk assessment has no outcome, or found the risk high; a
    # caution once a low or moderate risk is recorded. One text per outcome.
    "urgent.self_harm": RuleSpec(
        Level.CAUTION,
        frozenset({"item9"}),
        variants=frozenset({"not_assessed", "low", "moderate", "high"}),
        urgent=True,
    ),
    "first.diagnosis": RuleSpec(
        Level.FIRST,
        frozenset({"months", "wpi", "sss", "regions"}),
        variants=frozenset(
            {
                "not_confirmed",
                "short_duration",
                "criterion_not_met",
                "not_generalized",
                "crps_regions_unknown",
            }
        ),
    ),
    "first.standard_care": RuleSpec(
        Level.FIRST,
        frozenset({"untried", "failed_classes", "unrecorded"}),
        variants=frozenset(
            {"no_exercise", "few_classes", "no_psychological_therapy", "helping", "unrecorded"}
        ),
    ),
    "info.criteria_not_documented": RuleSpec(Level.INFO, frozenset({"undocumented"})),
    "info.evidence_fm": RuleSpec(Level.INFO),
    "info.liver_monitoring": RuleSpec(Level.INFO),
    "info.medications": RuleSpec(Level.INFO, variants=INFO_MEDICATIONS),
    "info.pregnancy": RuleSpec(Level.INFO, variants=frozenset({"unknown", "no"})),
    # The recorded response to the earlier course, when there is one.
    "info.past_ketamine_course": RuleSpec(
        Level.INFO, variants=frozenset({"good_benefit", "partial_benefit", "no_benefit"})
    ),
    "info.crps": RuleSpec(Level.INFO),
    "info.depression_trd": RuleSpec(Level.INFO),
    # Without a PHQ-9 total the rule is given no values: only with_total may name them.
    "info.depression_current": RuleSpec(
        Level.INFO,
        frozenset({"total", "band"}),
        variants=frozenset({"with_total"}),
        only_with=("with_total", frozenset({"total", "band"})),
    ),
    "info.insurance": RuleSpec(Level.INFO, variants=_COVERAGE_VARIANTS),
}

# PHQ-9 severity bands by lower bound (Kroenke 2001); their names are content.
PHQ9_BANDS: Final = (
    (20, "severe"),
    (15, "moderately_severe"),
    (10, "moderate"),
    (5, "mild"),
    (0, "minimal"),
)


# ---------------------------------------------------------------------------------------------
# The course assessment (docs/design.md section 13.2)


class CourseStatus(StrEnum):
    """The course assessment's status, declared from best to worst (the severity order the
    monotonicity property uses): a course is never better than its record allows."""

    RESPONDING = "responding"
    TOO_EARLY = "too_early"
    NOT_RESPONDING = "not_responding"
    INCOMPLETE_RECORD = "incomplete_record"
    STOP_RULE_MET = "stop_rule_met"

    @property
    def rank(self) -> int:
        """0 for the best status, higher for worse ones."""
        return _COURSE_STATUS_RANK[self]


_COURSE_STATUS_RANK: Final = {status: rank for rank, status in enumerate(CourseStatus)}


class CourseRuleSpec(NamedTuple):
    level: Level
    placeholders: frozenset[str] = frozenset()
    variants: frozenset[str] = frozenset()
    urgent: bool = False
    # False where the variants name the section 5 rules that fired: they are recorded with
    # the finding, and the text names those rules through {rules}, so the pack writes no
    # sentence per variant.
    variant_texts: bool = True
    # Whether the pack must give the rule sources of its own: not for a consistency check, a
    # rule of this design's (a screening not reviewed), or a rule that cites the section 5
    # rules it names.
    sourced: bool = True


_VISITS: Final = frozenset({"visits"})
_BP_RISE: Final = frozenset(
    {"visits", "rise_systolic", "rise_diastolic", "peak_systolic", "peak_diastolic"}
)
_LIVER_RAISED: Final = frozenset({"visits", "alt_ast", "alp"})
_BLADDER: Final = frozenset({"frequency", "urgency", "pain", "blood"})
_MISUSE: Final = frozenset({"asks_sooner_or_more", "ketamine_elsewhere", "other_concern"})


def _course_twins(
    name: str, placeholders: frozenset[str], variants: frozenset[str] = frozenset()
) -> dict[str, CourseRuleSpec]:
    """A finding the plan may make a stop: its stop rule and its caution twin."""
    return {
        f"course.stop.{name}": CourseRuleSpec(Level.STOP, placeholders, variants),
        f"course.caution.{name}": CourseRuleSpec(Level.CAUTION, placeholders, variants),
    }


# The plan's stop rules (plan.stop_rules) and the course rule each one turns into a stop.
STOP_RULE_TWINS: Final = {
    "bp_during": "bp_during",
    "dissociation_severe": "dissociation",
    "side_effects_not_acceptable": "side_effects",
    "bladder_new": "bladder",
    "liver_raised": "liver_raised",
    "misuse_signs": "misuse",
}

# The course rules in the order of the design's table, which breaks ties between findings
# of one level.
COURSE_RULES: Final[dict[str, CourseRuleSpec]] = {
    "course.urgent.self_harm": CourseRuleSpec(
        Level.CAUTION,
        _VISITS,
        frozenset({"not_assessed", "low", "moderate", "high"}),
        urgent=True,
    ),
    "course.stop.suicide_risk_high": CourseRuleSpec(Level.STOP, _VISITS),
    "course.stop.screening": CourseRuleSpec(
        Level.STOP,
        frozenset({"rules"}),
        frozenset(rule for rule, spec in RULES.items() if spec.level is Level.STOP),
        variant_texts=False,
        sourced=False,
    ),
    "course.check.screening_incomplete": CourseRuleSpec(Level.CHECK, sourced=False),
    "course.caution.screening_changed": CourseRuleSpec(
        Level.CAUTION,
        frozenset({"rules"}),
        frozenset(
            rule for rule, spec in RULES.items() if spec.level in (Level.CAUTION, Level.FIRST)
        ),
        variant_texts=False,
        sourced=False,
    ),
    "course.caution.screening_not_reviewed": CourseRuleSpec(Level.CAUTION, _VISITS, sourced=False),
    "course.check.plan_vs_decision": CourseRuleSpec(
        Level.CHECK, variants=frozenset({"leaning", "no_review"}), sourced=False
    ),
    "course.stop.liver_injury": CourseRuleSpec(
        Level.STOP, frozenset({"visits", "alt_ast", "bilirubin"})
    ),
    **_course_twins("liver_raised", _LIVER_RAISED, frozenset({"alt_ast", "alp"})),
    "course.info.liver_above_normal": CourseRuleSpec(Level.INFO, _VISITS),
    "course.caution.liver_not_planned": CourseRuleSpec(Level.CAUTION),
    "course.caution.bp_before": CourseRuleSpec(
        Level.CAUTION,
        frozenset({"visits", "systolic", "diastolic", "high_systolic", "high_diastolic"}),
        frozenset({"above_140_90", "above_180_100"}),
    ),
    **_course_twins("bp_during", _BP_RISE, frozenset({"rise", "peak"})),
    "course.caution.bp_not_settled": CourseRuleSpec(Level.CAUTION, _BP_RISE),
    **_course_twins("dissociation", _VISITS),
    "course.info.dissociation": CourseRuleSpec(Level.INFO, _VISITS),
    **_course_twins("side_effects", _VISITS),
    "course.caution.breathing": CourseRuleSpec(Level.CAUTION, _VISITS),
    **_course_twins("bladder", _VISITS, _BLADDER),
    **_course_twins("misuse", _VISITS, _MISUSE),
    "course.info.response": CourseRuleSpec(
        Level.INFO,
        frozenset({"visit", "infusions", "measures"}),
        frozenset({"met", "not_met"}),
    ),
    "course.info.infusion_day_relief": CourseRuleSpec(Level.INFO, _VISITS),
    "course.info.low_baseline": CourseRuleSpec(Level.INFO, frozenset({"baseline", "limit"})),
    "course.info.follow_on": CourseRuleSpec(Level.INFO),
    "course.info.ended_early": CourseRuleSpec(Level.INFO),
}
