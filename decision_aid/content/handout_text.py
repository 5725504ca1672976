"""The schema of the handout's words: ``resources/handout/<language>.yaml``.

A module that nothing imports at start-up (the package's ``__init__`` does not gather it), so
that a process that shows no handout (the window at start-up, ``assess``, ``note``) never
defines these models: a cached pack keeps them as a pickle of their own
(``content.HandoutTexts``), read when a handout is first made. Of this package it imports only
``base``; the loader and the checks import it where they validate the handout.
Defining these ~17 models costs about 7 ms (bench/README.md).
"""

from __future__ import annotations

from typing import Final

from pydantic import Field, model_validator

from decision_aid.consult import Coverage, Priority
from decision_aid.content.base import CitationKey, FrozenModel, Text

# The texts the handout fills (str.format, in decision_aid/handout/), by key path, with the
# names each is given; content.check_template holds every text to these (a test keeps them in
# step with the handout's modules). Any other text is printed as it is and may hold no braces.
TEMPLATES: Final[dict[str, frozenset[str]]] = {
    "overdue.short": frozenset({"date"}),
    "overdue.long": frozenset({"date"}),
    "footer": frozenset({"pack", "version", "published"}),
    "page_of": frozenset({"page", "pages"}),
    "date": frozenset({"day", "month", "year"}),
    "options.standard.what": frozenset({"names"}),
    "results.counted": frozenset({"events", "total"}),
    "results.alt": frozenset({"label", "time", "arm", "counted"}),
    "about.authors": frozenset({"authors"}),
    "about.author": frozenset({"name", "qualification"}),
    "about.reviewers": frozenset({"reviewers"}),
    "about.reviewer": frozenset({"role", "qualification", "date"}),
    "about.funded_by": frozenset({"funder"}),
    "about.funded_by_none": frozenset({"authors"}),
    "about.conflicts": frozenset({"conflicts"}),
    "about.reading_level": frozenset({"score"}),
    "about.version": frozenset({"pack", "version", "published"}),
    "about.review": frozenset({"next_review", "review_policy"}),
    "about.method": frozenset({"method", "research_date"}),
    # The patient page "Your plan" (docs/design.md section 13.5): no date anywhere.
    "plan.version_line": frozenset({"pack", "version"}),
    "plan.check.pain": frozenset({"now"}),
    "plan.check.fiqr": frozenset({"now"}),
    "plan.check.hope_at_most": frozenset({"target"}),
    "plan.decide.text": frozenset({"count"}),
    "plan.every_visit.liver": frozenset({"every"}),
    "plan.visits.infusion": frozenset({"number"}),
}


class FillIn(FrozenModel):
    clinic: Text
    clinician: Text
    contact: Text
    next_visit: Text


class Bullets(FrozenModel):
    title: Text
    items: tuple[Text, ...] = Field(min_length=1)


class Prose(FrozenModel):
    title: Text
    paragraphs: tuple[Text, ...] = Field(min_length=1)


class StatusLines(FrozenModel):
    """The one neutral line a not-advised or incomplete consult prints on page 1: never the
    reasons, which stay in the clinician note (docs/design.md section 6, privacy on paper)."""

    not_advised: Text
    incomplete: Text


class Overdue(FrozenModel):
    short: Text
    long: Text


class OptionQuestions(FrozenModel):
    """The rows of the options grid, as the patient's own questions: every option answers
    every one, in the same detail (IPDAS C1), "What is it?" first."""

    what: Text
    helps: Text
    lasts: Text
    side_effects: Text
    visits: Text
    cost: Text


class OptionText(FrozenModel):
    name: Text
    what: Text
    helps: Text
    lasts: Text
    side_effects: Text
    visits: Text
    cost: Text


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


class UninsuredCost(FrozenModel):
    """The grid's cost cells on a copy for someone with no insurance: no health plan named
    (docs/design.md 6.5)."""

    standard: Text
    ketamine: Text


class Options(FrozenModel):
    title: Text
    questions: OptionQuestions
    current: OptionText
    standard: OptionText
    ketamine: OptionText
    standard_names: dict[str, Text]
    # What the standard column is once every standard option was tried, and what each of
    # its cells then says: tried, never advised again (docs/design.md 6.3).
    standard_none: Text
    standard_tried: Text
    uninsured_cost: UninsuredCost

    @model_validator(mode="after")
    def _names_every_option(self) -> Options:
        if tuple(self.standard_names) != STANDARD_OPTION_KEYS:
            raise ValueError(
                f"options.standard_names must be exactly {', '.join(STANDARD_OPTION_KEYS)}, "
                "in that order"
            )
        return self


class Research(FrozenModel):
    """The research-study box: how to look, what a placebo group means, what it costs, and
    the one study named as an example (docs/design.md 6.4)."""

    title: Text
    paragraphs: tuple[Text, ...] = Field(min_length=1)


class NumbersRow(FrozenModel):
    option: Text
    found: Text
    side_effects: Text
    sure: Text
    advice: Text


class NumbersColumns(FrozenModel):
    option: Text
    found: Text
    side_effects: Text
    sure: Text
    advice: Text


class StandardNumbers(FrozenModel):
    """The "Standard options in numbers" table: a row per standard option not yet tried, in
    guideline order, or one sentence when every one was tried (docs/design.md 6.3)."""

    title: Text
    intro: Text
    columns: NumbersColumns
    rows: dict[str, NumbersRow]
    all_tried: Text

    @model_validator(mode="after")
    def _a_row_per_option(self) -> StandardNumbers:
        if set(self.rows) != set(STANDARD_OPTION_KEYS):
            raise ValueError(
                f"numbers.rows must name every standard option: {', '.join(STANDARD_OPTION_KEYS)}"
            )
        return self


class Picture(FrozenModel):
    """One picture of the handout: the figures of one study at one or more time points, in
    the order printed (the outcome that matters for the decision first). The numbers stay
    in the evidence library; these are the words around them."""

    label: Text
    about: Text
    arms: tuple[Text, ...] = Field(min_length=1, max_length=2)
    # figure id of evidence.yaml -> when it was measured, in words
    times: dict[CitationKey, Text] = Field(min_length=1)


class CertaintyWords(FrozenModel):
    high: Text
    moderate: Text
    low: Text
    very_low: Text


class Results(FrozenModel):
    title: Text
    intro: Text
    comparison: Text
    counted: Text
    # The alternative text of each icon array (a Figure of the tagged PDF): its picture's
    # label, the time point, the group and its count, as the array draws them.
    alt: Text
    certainty_label: Text
    certainty: CertaintyWords
    pictures: tuple[Picture, ...] = Field(min_length=1)
    uncertainty: Text


class LadderColumns(FrozenModel):
    condition: Text
    strength: Text
    relief: Text
    approved: Text


class LadderRow(FrozenModel):
    condition: Text
    strength: Text
    relief: Text
    approved: Text


class LadderRows(FrozenModel):
    fibromyalgia: LadderRow
    crps: LadderRow
    trd: LadderRow


class Ladder(FrozenModel):
    """The evidence by condition, printed for everyone: no reader's conditions singled out."""

    title: Text
    columns: LadderColumns
    rows: LadderRows


class Safety(FrozenModel):
    """The same safety checklist on every copy, whatever the patient answered."""

    title: Text
    intro: Text
    items: tuple[Text, ...] = Field(min_length=1)
    sources: Text


class Support(FrozenModel):
    title: Text
    crisis: Text
    helpline: Text


class Script(FrozenModel):
    """What to ask the health plan before booking: a short paragraph under its title."""

    title: Text
    text: Text


class CostText(FrozenModel):
    title: Text
    price: Text
    series: Text
    coverage: dict[Coverage, Text]
    prior_auth: Text
    low_cost: Text
    script: Script

    @model_validator(mode="after")
    def _every_coverage(self) -> CostText:
        if set(self.coverage) != set(Coverage):
            raise ValueError(f"cost.coverage must name every coverage: {', '.join(Coverage)}")
        return self


class PriorityRow(FrozenModel):
    """One priority of "What matters to you": its words, and which options do well on it,
    from the fact base with its citations (docs/design.md 6.7)."""

    label: Text
    options: Text


class MattersColumns(FrozenModel):
    priority: Text
    options: Text


class Matters(FrozenModel):
    """The priorities as a table linked to the options. ``said`` follows each priority the
    clinician recorded (bold alone is not read by everyone, nor by a screen reader) and
    ``recorded`` explains it, printed only when at least one was recorded."""

    title: Text
    intro: Text
    recorded: Text
    said: Text
    columns: MattersColumns
    priorities: dict[Priority, PriorityRow]

    @model_validator(mode="after")
    def _every_priority(self) -> Matters:
        if tuple(self.priorities) != tuple(Priority):
            raise ValueError(
                f"matters.priorities must be exactly {', '.join(Priority)}, in that order"
            )
        return self


class Knowledge(FrozenModel):
    """ "Check what you know": true-or-false statements from the fact base, and their answers
    (printed upside down under them)."""

    title: Text
    intro: Text
    choices: Text
    statements: tuple[Text, ...] = Field(min_length=3, max_length=3)
    answers_title: Text
    answers: tuple[Text, ...] = Field(min_length=3, max_length=3)


class Sure(FrozenModel):
    """The four SURE questions (legare2010) with empty boxes: the reader's own, never the
    answers the clinician recorded (docs/design.md 6.9)."""

    title: Text
    question: Text
    yes: Text
    no: Text
    questions: tuple[Text, ...] = Field(min_length=4, max_length=4)
    follow_up: Text


class NextSteps(FrozenModel):
    title: Text
    steps: tuple[Text, ...] = Field(min_length=1)


class TeachBack(FrozenModel):
    title: Text
    text: Text


class About(FrozenModel):
    """ "About this handout" (docs/design.md 6.8): who wrote it, who checked it and when, who
    paid for it (said positively), this version, how the facts were chosen and how easy it
    is to read."""

    title: Text
    not_advice: Text
    same_copy: Text
    authors: Text
    author: Text
    reviewers: Text
    reviewer: Text
    no_reviewers: Text
    no_patients: Text
    funded_by: Text
    funded_by_none: Text
    conflicts: Text
    version: Text
    review: Text
    method: Text
    reading_level: Text


class AuthorText(FrozenModel):
    name: Text
    qualification: Text


class ReviewerText(FrozenModel):
    role: Text
    qualification: Text


class PlanCheck(FrozenModel):
    """What the trial checks: one line per measure the plan chose, with its numbers."""

    title: Text
    pain: Text
    pgic: Text
    fiqr: Text
    # The target after the line's numbers: the largest whole number that meets the measure.
    hope_at_most: Text
    hope_zero: Text


class PlanDecide(FrozenModel):
    title: Text
    text: Text


class PlanEveryVisit(FrozenModel):
    """What every visit checks: the same on every copy; the liver line only when the plan
    schedules liver tests."""

    title: Text
    items: tuple[Text, ...] = Field(min_length=1)
    liver: Text
    liver_each: Text


class PlanStop(FrozenModel):
    """What could stop the infusions: the same on every copy, whichever stop rules the plan
    chose (the clinician note has those)."""

    title: Text
    items: tuple[Text, ...] = Field(min_length=1)
    any_time: Text


class PlanVisits(FrozenModel):
    """The table of visits, with empty cells for the patient to write the date and the pain."""

    title: Text
    intro: Text
    visit: Text
    date: Text
    pain: Text
    infusion: Text
    decide: Text


class PlanText(FrozenModel):
    """Every word of the patient page "Your plan" (docs/design.md section 13.5) but the
    support lines, which are the handout's own."""

    title: Text
    trial: Text
    infusion: Text
    # No date: the page prints none (the handout's overdue texts and footer name dates).
    overdue: Text
    version_line: Text
    check: PlanCheck
    decide: PlanDecide
    every_visit: PlanEveryVisit
    stop: PlanStop
    visits: PlanVisits


class PackYamlTexts(FrozenModel):
    """The "about" texts of pack.yaml, by their pack.yaml names: the pack's name too, which
    the footer and "About" print in the handout's language. A reviewer's date and whether
    they are a patient are not words, and are read from pack.yaml itself; ``funded_by`` is
    ``none`` in every language when no one paid."""

    name: Text
    authors: tuple[AuthorText, ...] = Field(min_length=1)
    reviewers: tuple[ReviewerText, ...] = ()
    funded_by: Text
    conflicts: Text
    review_policy: Text
    evidence_method: Text
    research_date: Text


class PackTexts(PackYamlTexts):
    """pack.yaml's "about" texts in the handout's language. The first language's must match
    pack.yaml; every other language's are a translation, and ``translated_from`` holds the
    pack.yaml texts it translates, which must match pack.yaml too: a change to pack.yaml
    (a new reviewer) is then caught in every language, not in the first one only."""

    translated_from: PackYamlTexts | None = None


class HandoutText(FrozenModel):
    """Every word of the patient handout in one language."""

    title: Text
    decision: Text
    main_message: Text
    intro: Text
    condition: Text
    status: StatusLines
    overdue: Overdue
    footer: Text
    page_of: Text
    sources: Text
    months: tuple[Text, ...] = Field(min_length=12, max_length=12)
    date: Text
    options: Options
    research: Research
    results: Results
    numbers: StandardNumbers
    ladder: Ladder
    infusion: Bullets
    harms: Bullets
    safety: Safety
    support: Support
    cost: CostText
    crps: Prose
    matters: Matters
    knowledge: Knowledge
    sure: Sure
    next_steps: NextSteps
    fill_in: FillIn
    questions: Bullets
    teach_back: TeachBack
    plan: PlanText
    about: About
    references_title: Text
    # The heading of the large-print source sheet (docs/design.md 6.1).
    sources_sheet_title: Text
    pack_texts: PackTexts
    # The name of each cited source in the numbered list, in this language (checked at load:
    # every source the handout cites has one, and each names a source of the library).
    source_names: dict[CitationKey, Text]
