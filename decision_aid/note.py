"""The clinician's note for the health record: plain text, under 1,500 characters.

It states the status, the urgent items first, each finding with its sources, the answers that
fired them, the answers still unknown or in conflict, the decision section (leaning, SURE
score, teach-back, the outcome of today's suicide-risk assessment), the content pack that
produced it (with its stamp) and which handout was given: the one recorded in the consult,
or "no handout given yet". It holds no patient identifiers (the consult has none) and no
instruction addressed to the patient: the findings are considerations for the clinician. A
consult with a trial plan has a course block after the decision section (``note_course.py``,
docs/design.md section 13.4), and the two parts shorten together.

When the fullest form is too long it is shortened step by step, and every shortening says what
it left out: a list becomes a count, a finding's text becomes its title, and as a last resort
findings are dropped with "(+N more findings, see decision-aid)". The lines that identify the
content pack, the handout and an overdue review are never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final, NamedTuple

from decision_aid import clock
from decision_aid.bounds import bounds_line
from decision_aid.catalogue import Level
from decision_aid.consult import ANSWERS, Need, SuicideRisk, answer_spec, is_list_field
from decision_aid.content import PAPER_NAMES
from decision_aid.note_course import BARE, JOINED, KEY, finding_sources
from decision_aid.note_course import key_sentence as key_sentence
from decision_aid.rules import answer

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator

    from decision_aid.consult import Consult
    from decision_aid.content import Content
    from decision_aid.note_course import CourseBlock
    from decision_aid.rules import Assessment, Finding

MAX_CHARACTERS: Final = 1500

# Findings every consult has; their full text adds nothing to a note, their titles do.
_ALWAYS: Final = frozenset({"info.evidence_fm", "info.liver_monitoring", "info.insurance"})

# Optional questions with a single answer, outside the decision section (which has a line of
# its own). Priorities and prior treatments are lists whose empty form means "none recorded".
_OPTIONAL_FIELDS: Final = tuple(
    spec.path
    for spec in ANSWERS
    if spec.need is Need.OPTIONAL
    and not is_list_field(spec.path)
    and not spec.path.startswith("decision.")
)

_SHORTENED: Final = " ... (note shortened, see decision-aid)"

# The answer that names the medicines of caution.medications in its shortened form.
_MEDICATIONS_RULE: Final = "caution.medications"
_MEDICATIONS: Final = "safety.medications"
# Variants whose sentence changes what a finding means: kept with its key sentence.
_MEANING_VARIANTS: Final[dict[str, tuple[str, ...]]] = {
    "caution.sleep_apnea": ("with_sedatives",),
    "stop.ketamine_misuse_history": ("substances", "harms"),
}

# The outcome of today's suicide-risk assessment as the decision line says it.
_SUICIDE_RISK_WORDS: Final = {
    SuicideRisk.LOW: "low",
    SuicideRisk.MODERATE: "moderate",
    SuicideRisk.HIGH: "HIGH",
    SuicideRisk.NOT_ASSESSED: "not yet assessed",
    SuicideRisk.UNKNOWN: "outcome not recorded",
}

# What a SURE score means (docs/design.md section 8), from the evidence library.
_SURE_SOURCE: Final = "legare2010"


class _FindingLines(NamedTuple):
    """One non-urgent finding as the note can show it, from the fullest to the shortest."""

    level: Level
    full: str
    # Its key sentence: the first of its text, which stands alone (docs/design.md 5 and 8).
    key: str
    title: str
    # The level's word and the title alone, without sources: the last form of a finding that
    # may not be dropped (a stop or a check), where even titles with sources cannot fit.
    bare: str


@dataclass(frozen=True, slots=True)
class _Parts:
    """Everything a note can say, and how much of each part the note shows."""

    head: tuple[str, ...]
    # The head with each urgent finding's key sentence for its text: a last resort when the
    # note has a course block (docs/design.md section 13.4).
    head_keys: tuple[str, ...]
    findings: tuple[_FindingLines, ...]
    answers: tuple[str, ...]
    required: tuple[str, ...]
    conflicts: tuple[str, ...]
    optional: tuple[str, ...]
    tail: tuple[str, ...]
    # How much is shown, the findings most serious first: those before full_texts with their
    # full text, the others with their key sentence; an information finding from key_texts
    # on, and any finding from titles_from on, by its title; findings_shown listed.
    full_texts: int
    key_texts: int
    titles_from: int
    answers_shown: int
    findings_shown: int
    optional_listed: bool = True
    required_listed: bool = True
    # The last resorts before a stop or a check would be dropped: titles without their
    # sources, then the titles of one level on one line.
    bare_titles: bool = False
    joined_titles: bool = False
    # The course block of a consult with a plan (docs/design.md section 13.4), after the
    # decision line.
    course: CourseBlock | None = None
    urgent_keys: bool = False

    def compose(self) -> str:
        lines = list(self.head_keys if self.urgent_keys else self.head)
        lines.append("Findings:")
        joined: dict[Level, list[str]] = {}
        for index, finding in enumerate(self.findings[: self.findings_shown]):
            if index < self.full_texts:
                lines.append(finding.full)
            elif index >= self.titles_from or (
                index >= self.key_texts and finding.level is Level.INFO
            ):
                if self.joined_titles:
                    titles = joined.setdefault(finding.level, [])
                    if not titles:
                        lines.append(finding.level)  # replaced by the joined line below
                    titles.append(finding.bare)
                else:
                    lines.append(finding.bare if self.bare_titles else finding.title)
            else:
                lines.append(finding.key)
        for level, titles in joined.items():
            word = titles[0].split(": ", 1)[0]
            named = "; ".join(title.split(": ", 1)[1] for title in titles)
            lines[lines.index(level)] = f"{word}: {named}"
        dropped = len(self.findings) - self.findings_shown
        if dropped:
            lines.append(f"(+{dropped} more findings, see decision-aid)")
        if self.answers:
            listed = "; ".join(self.answers[: self.answers_shown])
            rest = len(self.answers) - self.answers_shown
            if rest:
                listed += f"; +{rest} more" if listed else f"{rest}"
                listed += ", see decision-aid"
            lines.append(_sentence(f"Answers used: {listed}"))
        if self.required:
            shown = _listed(self.required, in_full=self.required_listed)
            lines.append(_sentence(f"Still unknown (required): {shown}"))
        if self.conflicts:
            lines.append(
                _sentence(f"In conflict (correct one answer): {'; '.join(self.conflicts)}")
            )
        if self.optional:
            shown = _listed(self.optional, in_full=self.optional_listed)
            lines.append(_sentence(f"Not answered (optional): {shown}"))
        lines.extend(self.tail[:1])
        if self.course is not None:
            lines.extend(self.course.lines())
        lines.extend(self.tail[1:])
        return "\n".join(lines)

    def shortenings(self) -> Iterator[_Parts]:
        """From this form to the shortest (docs/design.md section 8). What goes first is what
        the record needs least: optional gaps by name; finding texts to their key sentence
        (information first, stop last); information findings to their title; the answers
        by name; the information findings. Only then, when the key sentences of the rest
        cannot stand together, do findings fall back to their titles, from the least severe,
        so that every caution, check and stop is still named (the design would drop
        cautions first: a record that names each one is the safer of the two); then the
        required answers by name; and only when even the titles cannot stand together are
        findings counted in "(+N more findings)" from the least severe. Urgent findings are
        in the head and never go."""
        parts = self
        yield parts
        parts = replace(parts, optional_listed=False)
        yield parts
        for shown in reversed(range(len(self.findings))):
            parts = replace(parts, full_texts=shown)
            yield parts
        for shown in reversed(range(len(self.findings))):
            parts = replace(parts, key_texts=shown)
            yield parts
        for shown in reversed(range(len(self.answers))):
            parts = replace(parts, answers_shown=shown)
            yield parts
        serious = sum(finding.level is not Level.INFO for finding in self.findings)
        for shown in reversed(range(serious, len(self.findings))):
            parts = replace(parts, findings_shown=shown)
            yield parts
        for first_title in reversed(range(serious)):
            parts = replace(parts, titles_from=first_title)
            yield parts
        parts = replace(parts, required_listed=False)
        yield parts
        # Every finding still named, its sources left to decision-aid, before any is dropped.
        parts = replace(parts, bare_titles=True)
        yield parts
        # Stops and checks come first among the findings (urgent ones are in the head) and
        # are never dropped (docs/design.md section 8).
        kept = sum(finding.level in (Level.STOP, Level.CHECK) for finding in self.findings)
        for shown in reversed(range(kept, serious)):
            parts = replace(parts, findings_shown=shown)
            yield parts
        yield replace(parts, joined_titles=True)

    def shortenings_with_course(self) -> Iterator[_Parts]:
        """From this form to the shortest when the note has a course block (docs/design.md
        section 13.4), across both parts: information findings go, the consult's first (its
        texts shortening to key sentences and titles on the way, and the answers used to a
        count, as section 8 does), then the course's; the pain series keeps its last six
        values; the plan sentence takes its short form; caution texts shorten to their key
        sentences, the consult's first; then cautions go, the consult's first, counted.
        Urgent, stop and check findings are never dropped. Only if the note is still too
        long do their texts shorten to key sentences, the required answers to a count, and,
        as the last resort of section 8, the consult's stops and checks to their titles."""
        if self.course is None:
            yield from self.shortenings()
            return
        parts = self
        yield parts
        parts = replace(parts, optional_listed=False)
        yield parts
        serious = sum(finding.level is not Level.INFO for finding in self.findings)
        kept = sum(finding.level in (Level.STOP, Level.CHECK) for finding in self.findings)
        everything = len(self.findings)
        # The consult's information findings: texts to key sentences, then to titles; the
        # answers used to a count; then the findings themselves.
        for shown in reversed(range(serious, everything)):
            parts = replace(parts, full_texts=shown)
            yield parts
        for shown in reversed(range(serious, everything)):
            parts = replace(parts, key_texts=shown)
            yield parts
        for shown in reversed(range(len(self.answers))):
            parts = replace(parts, answers_shown=shown)
            yield parts
        for shown in reversed(range(serious, everything)):
            parts = replace(parts, findings_shown=shown)
            yield parts
        block = self.course
        for shorter in block.dropping_information():
            block = shorter
            parts = replace(parts, course=block)
            yield parts
        block = replace(block, series_cut=True)
        parts = replace(parts, course=block)
        yield parts
        block = replace(block, short_plan=True)
        parts = replace(parts, course=block)
        yield parts
        for shown in reversed(range(serious)):
            parts = replace(parts, full_texts=shown)
            yield parts
        block = replace(block, caution_keys=True)
        parts = replace(parts, course=block)
        yield parts
        for shown in reversed(range(kept, serious)):
            parts = replace(parts, findings_shown=shown)
            yield parts
        for shorter in block.dropping_cautions():
            block = shorter
            parts = replace(parts, course=block)
            yield parts
        # The last resorts, before anything that is never dropped would be: the course's
        # stops and checks to key sentences, then without sources; the urgent texts to key
        # sentences; the course's status without its measures; the required answers to a
        # count; the consult's stops and checks to their titles (section 8's last resort);
        # the course's key sentences of one level on one line, the consult's titles likewise;
        # and only then the course's titles, from the least severe.
        for form in (KEY, BARE):
            block = replace(block, kept_form=form)
            parts = replace(parts, course=block)
            yield parts
        parts = replace(parts, urgent_keys=True)
        yield parts
        block = replace(block, short_status=True)
        parts = replace(parts, course=block)
        yield parts
        parts = replace(parts, required_listed=False)
        yield parts
        for first_title in reversed(range(kept)):
            parts = replace(parts, titles_from=first_title)
            yield parts
        parts = replace(parts, bare_titles=True)
        yield parts
        block = replace(block, kept_form=JOINED)
        parts = replace(parts, course=block)
        yield parts
        parts = replace(parts, joined_titles=True)
        yield parts
        for shorter in block.titling():
            yield replace(parts, course=shorter)


def clinician_note(
    consult: Consult,
    assessment: Assessment,
    content: Content,
    today: dt.date | None = None,
) -> str:
    """The note for one consult, shortened to fit ``MAX_CHARACTERS`` when it must be. With a
    plan, it judges the course (``course.assess_course``) for its course block.

    Args:
        consult: the answers.
        assessment: ``rules.assess(consult, content)``.
        content: the content pack in use.
        today: the date used for the review-overdue notice; ``clock.today()`` when None.
    """
    pack = content.pack
    rulebook, questions = content.rulebook, content.questions
    head = [
        "IV ketamine for fibromyalgia - consult with decision-aid (clinician decision support)",
        f"Status: {rulebook.statuses[assessment.status]}.",
    ]
    if (bounds := bounds_line(assessment)) is not None:
        head.append(bounds)
    head_keys = list(head)
    for urgent in assessment.urgent:
        head.append(f"URGENT: {urgent.text} [{finding_sources(urgent, content)}]")
        head_keys.append(
            f"URGENT: {key_sentence(urgent.text)} [{finding_sources(urgent, content)}]"
        )
    head.append(_patient_line(consult))
    head_keys.append(_patient_line(consult))
    findings = []
    for finding in assessment.findings:
        if finding.urgent:
            continue
        start = f"- {rulebook.levels[finding.level]}: "
        # A consistency check rests on the answers alone and cites nothing.
        sources = f" [{finding_sources(finding, content)}]" if finding.citations else ""
        text = finding.title if finding.rule in _ALWAYS else finding.text
        findings.append(
            _FindingLines(
                finding.level,
                full=start + text + sources,
                key=start + _key_text(finding, text, content) + sources,
                title=start + finding.title + sources,
                bare=start + finding.title,
            )
        )
    tail = [
        _decision_line(consult, content),
        _handout_line(consult, content),
        f"Content: {content.label}; reviewed {pack.last_reviewed}, next review {pack.next_review}.",
    ]
    if pack.is_overdue(today or clock.today()):
        tail.append("Content overdue for review: check the sources before relying on them.")
    tail.append("Considerations for the clinician, not orders.")
    answers = _answers_used(assessment, content)
    parts = _Parts(
        head=tuple(head),
        head_keys=tuple(head_keys),
        findings=tuple(findings),
        answers=answers,
        required=tuple(questions.label(path) for path in assessment.missing),
        conflicts=tuple(finding.title for finding in assessment.conflicts),
        optional=tuple(
            questions.label(path)
            for path in _OPTIONAL_FIELDS
            if answer(consult, path) in (None, "unknown") and answer_spec(path).asked(consult)
        ),
        tail=tuple(tail),
        full_texts=len(findings),
        key_texts=len(findings),
        titles_from=len(findings),
        answers_shown=len(answers),
        findings_shown=len(findings),
        course=_course_block(consult, content),
    )
    note = ""
    for shorter in parts.shortenings_with_course():
        note = shorter.compose()
        if len(note) <= MAX_CHARACTERS:
            return note
    # The course block stands between the decision line and the rest of the tail.
    return _cut(note, "\n".join(parts.tail if parts.course is None else parts.tail[1:]))


def _course_block(consult: Consult, content: Content) -> CourseBlock | None:
    """The course block, for a consult with a plan (docs/design.md section 13.4)."""
    if consult.plan is None:
        return None
    from decision_aid.course import assess_course
    from decision_aid.note_course import course_block

    course = assess_course(consult, content)
    return course_block(consult, course, content) if course is not None else None


def _key_text(finding: Finding, text: str, content: Content) -> str:
    """A finding's key sentence, with the short form of what changes its meaning: the
    medicines that interact, and for sleep apnoea that opioids or sedatives are also taken
    (docs/design.md section 8)."""
    key = key_sentence(text)
    if finding.rule == _MEDICATIONS_RULE and _MEDICATIONS in finding.fired_by:
        named = content.questions.answer_text(_MEDICATIONS, finding.fired_by[_MEDICATIONS])
        return f"{key.removesuffix('.')} ({named})."
    rule = content.rulebook.rules.get(finding.rule)
    for variant in _MEANING_VARIANTS.get(finding.rule, ()):
        shown = rule.variants.get(variant) if rule else None
        if shown and shown in text and shown not in key:
            key += " " + shown
    return key


def _patient_line(consult: Consult) -> str:
    """Age and weight: infusion doses are per kilogram. Neither identifies the patient."""
    patient = consult.patient
    age = f"{patient.age_years}" if patient.age_years is not None else "not known"
    weight = f"{patient.weight_kg} kg" if patient.weight_kg is not None else "not known"
    return f"Age {age}; weight {weight}."


def _decision_line(consult: Consult, content: Content) -> str:
    """Where the patient leans, the SURE score with what it means, teach-back and, when PHQ-9
    item 9 calls for it, the outcome of today's suicide-risk assessment. Labels are printed as the
    pack writes them ("IV ketamine infusions", never lower-cased)."""
    questions, decision = content.questions, consult.decision
    parts = [
        "leaning: " + questions.option_label("decision.leaning", decision.leaning),
        _sure(consult, content),
        "teach-back: " + questions.option_label("decision.teach_back", decision.teach_back),
    ]
    item9 = consult.comorbidities.phq9_item9
    if item9 is not None and item9 >= 1:
        parts.append("suicide risk today: " + _SUICIDE_RISK_WORDS[decision.suicide_risk])
    return "Decision: " + "; ".join(parts) + "."


def _sure(consult: Consult, content: Content) -> str:
    """The SURE score out of 4 and what it means (Legare 2010: 4 of 4 is no decisional
    conflict, any "no" suggests it). With items not asked and no "no", it says only the count:
    the score cannot rule conflict out."""
    sure = consult.decision.sure
    yes, answered = sure.score()
    score = f"SURE {yes}/4" + (f" ({4 - answered} not asked)" if answered < 4 else "")
    if yes == 4:
        meaning = ": no decisional conflict"
    elif yes < answered:
        meaning = ": any 'no' suggests decisional conflict"
    else:
        return score
    source = content.evidence.sources.get(_SURE_SOURCE)
    return score + meaning + (f" [{source.short.split(' (')[0]}]" if source else "")


def _handout_line(consult: Consult, content: Content) -> str:
    """The handout recorded in the consult (the last one printed or saved), or none yet."""
    given = consult.decision.handout
    if given is None:
        return "Handout: no handout given yet."
    made_with = "" if given.content_stamp == content.stamp else f", content {given.content_stamp}"
    # A handout given with another pack may be in a language this one does not name.
    language = content.languages.get(given.language, given.language.value)
    return f"Handout given: {language}, {PAPER_NAMES[given.paper]}{made_with}."


def _sentence(text: str) -> str:
    """Ends a line with a full stop unless a label already ends it ("...for pain?")."""
    return text if text.endswith((".", "?", "!")) else text + "."


def _listed(labels: tuple[str, ...], *, in_full: bool) -> str:
    """The labels, or their count when asked to and when the count is the shorter."""
    listed = "; ".join(labels)
    count = f"{len(labels)} question{'s' if len(labels) != 1 else ''}, see decision-aid"
    return listed if in_full or len(listed) <= len(count) else count


def _answers_used(assessment: Assessment, content: Content) -> tuple[str, ...]:
    """Each answer that fired a finding, once, as "label: answer"."""
    questions = content.questions
    used: dict[str, str] = {}
    for finding in assessment.findings:
        # The always-present findings fire on the insurance answers alone; they would crowd
        # out the answers that changed the assessment.
        if finding.rule in _ALWAYS:
            continue
        for path, value in finding.fired_by.items():
            used[questions.label(path)] = questions.answer_text(path, value)
    return tuple(f"{label}: {shown}" for label, shown in used.items())


def _cut(note: str, tail: str) -> str:
    """Cuts the text before ``tail`` at a word boundary and says so, keeping the tail (the
    pack, the handout, the overdue notice). Only a clinic pack with very long urgent texts or
    labels gets here, since every finding and list is dropped before."""
    body = note[: len(note) - len(tail) - 1]
    room = MAX_CHARACTERS - len(tail) - 1 - len(_SHORTENED)
    end = body.rfind(" ", 0, room + 1)
    return body[: end if end > 0 else room].rstrip() + _SHORTENED + "\n" + tail
