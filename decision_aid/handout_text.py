"""The schema of the handout's words: ``resources/handout/<language>.yaml``.

Apart from the content package, which reads and validates those files with these models, so
that a process that shows no handout (the window at start-up, ``assess``, ``note``) never
defines them: a cached pack keeps them as a pickle of their own (``content.HandoutTexts``),
read when a handout is first made. Only ``decision_aid.content.base`` is imported from the
package; its loader imports this module where it validates the handout, never the reverse.
Defining these ~17 models costs about 7 ms (bench/README.md).
"""

from __future__ import annotations

from typing import Final

from pydantic import Field, model_validator

from decision_aid.catalogue import RULES, Level
from decision_aid.consult import Coverage, Priority
from decision_aid.content.base import CitationKey, FrozenModel, Text

# The texts the handout fills (str.format, in decision_aid/handout/), by key path, with the
# names each is given; content.check_template holds every text to these (a test keeps them in
# step with the handout's modules). Any other text is printed as it is and may hold no braces.
TEMPLATES: Final[dict[str, frozenset[str]]] = {
    "overdue.long": frozenset({"date"}),
    "footer": frozenset({"pack", "version", "published"}),
    "page_of": frozenset({"page", "pages"}),
    "options.standard.what": frozenset({"names"}),
    # Not printed by the handout itself: the tests find the numbers of a PDF's text with it.
    "results.per_100": frozenset({"n"}),
    "results.had": frozenset({"n", "outcome"}),
    "results.had_not": frozenset({"n"}),
    "results.heading": frozenset({"label", "timepoint"}),
    "results.studied": frozenset({"study_size", "population"}),
    "about.made_by": frozenset({"made_by"}),
    "about.funding": frozenset({"funding"}),
    "about.conflicts": frozenset({"conflicts"}),
    "about.version": frozenset({"pack", "version", "published", "last_reviewed"}),
    "about.review": frozenset({"next_review", "review_policy"}),
    "about.method": frozenset({"method", "research_date"}),
}


class FillIn(FrozenModel):
    clinic: Text
    clinician: Text
    contact: Text
    your_name: Text


class Bullets(FrozenModel):
    title: Text
    items: tuple[Text, ...] = Field(min_length=1)


class Prose(FrozenModel):
    title: Text
    paragraphs: tuple[Text, ...] = Field(min_length=1)


class Overdue(FrozenModel):
    short: Text
    long: Text


class OptionRows(FrozenModel):
    """The row labels of the options table: every option fills every row (IPDAS C1)."""

    what: Text
    benefits: Text
    harms: Text
    cost: Text
    time: Text


class OptionText(FrozenModel):
    name: Text
    what: Text
    benefits: Text
    harms: Text
    cost: Text
    time: Text


# The standard options the handout can name as not yet tried: exercise, the medicine classes
# of the rules, and the two other therapies the EULAR guideline lists.
STANDARD_OPTION_KEYS: Final = (
    "exercise",
    "SNRI",
    "gabapentinoid",
    "tricyclic-type",
    "cbt",
    "multidisciplinary_rehab",
)


class Options(FrozenModel):
    title: Text
    intro: Text
    rows: OptionRows
    current: OptionText
    standard: OptionText
    ketamine: OptionText
    trial: OptionText
    standard_names: dict[str, Text]
    standard_none: Text

    @model_validator(mode="after")
    def _names_every_option(self) -> Options:
        if tuple(self.standard_names) != STANDARD_OPTION_KEYS:
            raise ValueError(
                f"options.standard_names must be exactly {', '.join(STANDARD_OPTION_KEYS)}, "
                "in that order"
            )
        return self


class FigureText(FrozenModel):
    """How the handout words one figure of the evidence library; its numbers stay there."""

    label: Text
    outcome: Text
    timepoint: Text
    population: Text
    study_size: Text
    arms: tuple[Text, ...] = Field(min_length=1, max_length=2)


class Results(FrozenModel):
    title: Text
    intro: Text
    per_100: Text
    had: Text
    had_not: Text
    heading: Text
    studied: Text
    figures: dict[CitationKey, FigureText] = Field(min_length=1)
    uncertainty: Text


class CostText(FrozenModel):
    title: Text
    general: Text
    coverage: dict[Coverage, Text]
    prior_auth: Text

    @model_validator(mode="after")
    def _every_coverage(self) -> CostText:
        if set(self.coverage) != set(Coverage):
            raise ValueError(f"cost.coverage must name every coverage: {', '.join(Coverage)}")
        return self


_STOP_RULES: Final = frozenset(rule for rule, spec in RULES.items() if spec.level is Level.STOP)


class NotAdvised(FrozenModel):
    title: Text
    intro: Text
    reasons: dict[str, Text]

    @model_validator(mode="after")
    def _every_stop_rule(self) -> NotAdvised:
        if set(self.reasons) != _STOP_RULES:
            raise ValueError(
                f"tailored.not_advised.reasons must name every stop rule: "
                f"{', '.join(sorted(_STOP_RULES))}"
            )
        return self


class Tailored(FrozenModel):
    crps: Prose
    depression: Prose
    trd: Prose
    substance: Prose
    not_advised: NotAdvised


class Matters(FrozenModel):
    title: Text
    intro: Text
    priorities: dict[Priority, Text]

    @model_validator(mode="after")
    def _every_priority(self) -> Matters:
        if tuple(self.priorities) != tuple(Priority):
            raise ValueError(
                f"matters.priorities must be exactly {', '.join(Priority)}, in that order"
            )
        return self


class TeachBack(FrozenModel):
    title: Text
    text: Text


class About(FrozenModel):
    title: Text
    not_advice: Text
    made_by: Text
    funding: Text
    conflicts: Text
    version: Text
    review: Text
    method: Text


class PackTexts(FrozenModel):
    """pack.yaml's "about" texts in the handout's language (en.yaml must match pack.yaml)."""

    made_by: Text
    funding: Text
    conflicts: Text
    review_policy: Text
    evidence_method: Text
    research_date: Text


class HandoutText(FrozenModel):
    """Every word of the patient handout in one language."""

    title: Text
    decision: Text
    intro: Text
    fill_in: FillIn
    experimental: Bullets
    overdue: Overdue
    footer: Text
    page_of: Text
    summary: Bullets
    condition: Prose
    options: Options
    results: Results
    infusion: Bullets
    harms: Bullets
    cost: CostText
    tailored: Tailored
    matters: Matters
    questions: Bullets
    teach_back: TeachBack
    about: About
    references_title: Text
    pack_texts: PackTexts
