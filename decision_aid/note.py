"""The clinician's note for the health record: plain text, under 1,500 characters.

It states the status, the urgent items first, each finding with its sources, the answers that
fired them, the required answers still unknown, the content pack that produced it (with its
stamp) and which handout was given. It holds no patient identifiers (the consult has none) and
no instruction addressed to the patient: the findings are considerations for the clinician.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from decision_aid import clock
from decision_aid.catalogue import Level

if TYPE_CHECKING:
    import datetime as dt

    from decision_aid.consult import Consult, Language
    from decision_aid.content import Content
    from decision_aid.rules import Assessment, Finding

MAX_CHARACTERS: Final = 1500

_LANGUAGE_NAMES: Final = {"en": "English", "es": "Spanish"}

# Findings every consult has; their full text adds nothing to a note, their titles do.
_ALWAYS: Final = frozenset({"info.evidence_fm", "info.insurance"})


def clinician_note(
    consult: Consult,
    assessment: Assessment,
    content: Content,
    handout_language: Language | None = None,
    today: dt.date | None = None,
) -> str:
    """The note for one consult, shortened to fit ``MAX_CHARACTERS`` when it must be.

    Args:
        consult: the answers.
        assessment: ``rules.assess(consult, content)``.
        content: the content pack in use.
        handout_language: the language of the handout given; the consult's when None.
        today: the date used for the review-overdue notice; ``clock.today()`` when None.
    """
    language = handout_language or consult.patient.handout_language
    overdue = content.pack.is_overdue(today or clock.today())
    # From the fullest form to the shortest; the first that fits is used. What is dropped
    # first is what the clinician can see again in the app: the answers, then finding texts.
    for detail in ("full", "titles", "compact"):
        note = _compose(assessment, content, language.value, overdue, detail)
        if len(note) <= MAX_CHARACTERS:
            return note
    return _truncate(note)


def _compose(
    assessment: Assessment, content: Content, language: str, overdue: bool, detail: str
) -> str:
    rulebook = content.rulebook
    lines = [
        "IV ketamine for fibromyalgia - consult with decision-aid (clinician decision support)",
        f"Status: {rulebook.statuses[assessment.status]}.",
    ]
    for finding in assessment.urgent:
        lines.append(f"URGENT: {finding.text} [{_sources(finding, content)}]")
    lines.append("Findings:")
    for finding in assessment.findings:
        if finding.urgent:
            continue
        level = rulebook.levels[finding.level]
        if detail == "full" and finding.rule not in _ALWAYS:
            lines.append(f"- {level}: {finding.text} [{_sources(finding, content)}]")
        elif detail == "compact" and finding.level is Level.INFO:
            lines.append(f"- {finding.title} [{_sources(finding, content)}]")
        else:
            lines.append(f"- {level}: {finding.title} [{_sources(finding, content)}]")
    if detail != "compact":
        used = _answers_used(assessment, content)
        if used:
            lines.append(f"Answers used: {used}.")
    if assessment.missing:
        unknown = "; ".join(content.questions.label(path) for path in assessment.missing)
        lines.append(f"Still unknown (required): {unknown}.")
    lines.append(
        f"Handout given: {_LANGUAGE_NAMES.get(language, language)}, content {content.pack.version}."
    )
    lines.append(
        f"Content: {content.label}; reviewed {content.pack.last_reviewed}, "
        f"next review {content.pack.next_review}."
    )
    if overdue:
        lines.append("Content overdue for review: check the sources before relying on them.")
    lines.append("Considerations for the clinician, not orders.")
    return "\n".join(lines)


def _sources(finding: Finding, content: Content) -> str:
    """Short citations, such as "Cohen 2018; Noppers 2011"."""
    shorts = (content.evidence.sources[key].short.split(" (")[0] for key in finding.citations)
    return "; ".join(dict.fromkeys(shorts))


def _answers_used(assessment: Assessment, content: Content) -> str:
    questions = content.questions
    used: dict[str, str] = {}
    for finding in assessment.findings:
        if finding.level is Level.INFO:
            continue
        for path, value in finding.fired_by.items():
            used[questions.label(path)] = questions.answer_text(path, value)
    return "; ".join(f"{label}: {shown}" for label, shown in used.items())


def _truncate(note: str) -> str:
    """Cuts at a line end and says so; only reached with an unusually long clinic pack."""
    marker = "\n(note shortened: see decision-aid for all findings)"
    room = MAX_CHARACTERS - len(marker)
    return note[: note.rfind("\n", 0, room)] + marker
