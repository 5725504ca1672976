"""What an assessment is made of: the findings, the bounds, and the assessment itself, with
the collector that fills each finding's text and sources from the content pack (docs/design.md
section 5). The rules that decide which findings fire are in ``decision_aid/rules.py``."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, NamedTuple

from decision_aid.catalogue import RULES, Level, Status
from decision_aid.consult import Consult, PriorTreatment, answer_at

if TYPE_CHECKING:
    from decision_aid.content import Content, RuleBook

Answer = str | int | list[str] | None


class Finding(NamedTuple):
    """One rule that fired: what it says, why it fired and what it rests on.

    A named tuple rather than a frozen dataclass: a consult fires a dozen findings, and a
    frozen dataclass costs several times more to build (docs/design.md section 10).
    """

    rule: str
    level: Level
    title: str
    text: str
    fired_by: dict[str, Answer]
    citations: tuple[str, ...]
    urgent: bool = False
    # The names of the extra sentences the text shows, in the order shown (a contract of
    # ``assess --json``, like the rule ids).
    variants: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "level": self.level.value,
            "urgent": self.urgent,
            "title": self.title,
            "text": self.text,
            "variants": list(self.variants),
            "fired_by": self.fired_by,
            "citations": list(self.citations),
        }


class Bounds(NamedTuple):
    """The best and the worst status a consult can still reach by answering its unknown
    required answers, the known ones left as they are (docs/design.md section 5)."""

    best: Status
    worst: Status


@dataclass(frozen=True, slots=True)
class Assessment:
    """The result for one consult.

    ``findings`` holds every finding, the most serious first; ``urgent`` repeats those that need
    action today so that they can be shown above everything else; ``missing`` names the
    required answers still unknown, as dotted paths in the order of the consult file.
    """

    status: Status
    findings: tuple[Finding, ...]
    missing: tuple[str, ...]
    urgent: tuple[Finding, ...]
    # The best and the worst status the consult can still reach once its unknown required
    # answers are given; both are the status when none is unknown.
    bounds: Bounds

    def as_json(self) -> dict[str, object]:
        """The assessment as the JSON object of ``decision-aid assess --json``."""
        return {
            "status": self.status.value,
            "bounds": {"best": self.bounds.best.value, "worst": self.bounds.worst.value},
            "urgent": [finding.as_json() for finding in self.urgent],
            "findings": [finding.as_json() for finding in self.findings],
            "missing": list(self.missing),
        }

    def fired(self, rule: str) -> Finding | None:
        """The finding of one rule id, or None when that rule did not fire."""
        return next((finding for finding in self.findings if finding.rule == rule), None)

    @property
    def conflicts(self) -> tuple[Finding, ...]:
        """The findings of answers that contradict each other (level ``check``)."""
        return tuple(finding for finding in self.findings if finding.level is Level.CHECK)


class Collector:
    """Gathers findings, filling each rule's text and sources from the content pack."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self._rulebook = content.rulebook
        self._made = _made_by(content.rulebook)
        self.findings: list[Finding] = []

    def fire(
        self,
        rule: str,
        fired_by: dict[str, Answer],
        variants: tuple[str, ...] = (),
        *,
        urgent: bool | None = None,
        **values: object,
    ) -> None:
        key = (rule, variants, tuple(values.items()) if values else ())
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = _made_finding(self._rulebook, rule, variants, values)
        level, title, text, citations, spec_urgent = made
        self.findings.append(
            Finding(
                rule,
                level,
                title,
                text,
                fired_by,
                citations,
                spec_urgent if urgent is None else urgent,
                variants,
            )
        )


_Made = tuple[Level, str, str, tuple[str, ...], bool]

# What a rule says for one combination of variants and values, by rule book: consults repeat
# the same few combinations. The cache belongs to its rule book and dies with it:
# - keyed by id(rulebook), since a RuleBook (a frozen pydantic model of content.py) holds
#   dicts and so is not hashable, which rules out a WeakKeyDictionary, and its class has no
#   place for a cache of ours;
# - an id is unique among living objects and reused only after its object is gone, so a
#   weakref.finalize drops the entry when its rule book is collected (before the id can be
#   given to another object); it holds the key, never the rule book.
# So a cached text can never be served for another pack, however many packs a process loads,
# and no rule book is kept alive by the cache.
_MADE: Final[dict[int, dict[object, _Made]]] = {}


def _made_by(rulebook: RuleBook) -> dict[object, _Made]:
    key = id(rulebook)
    made = _MADE.get(key)
    if made is None:
        made = _MADE[key] = {}
        weakref.finalize(rulebook, _MADE.pop, key, None)
    return made


def _made_finding(
    rulebook: RuleBook, rule: str, variants: tuple[str, ...], values: dict[str, object]
) -> _Made:
    """A rule's level, title, text with its variants and values filled in, and its sources
    (the rule's own, then each shown variant's)."""
    spec = RULES[rule]
    entry = rulebook.rules[rule]
    parts = [entry.text, *(entry.variants[name] for name in variants)]
    text = " ".join(part.format_map(values) for part in parts)
    citations = entry.citations + tuple(
        key for variant in variants for key in entry.variant_citations.get(variant, ())
    )
    return spec.level, entry.title, text, tuple(dict.fromkeys(citations)), spec.urgent


def answer(consult: Consult, path: str) -> Answer:
    """One answer by its dotted path, as plain JSON data ("unknown", a number, None, a list).

    A list that was not reviewed is None; a prior treatment is "therapy: outcome".
    """
    value: object = answer_at(consult, path)
    if isinstance(value, list):
        return [
            f"{item.therapy}: {item.outcome}" if isinstance(item, PriorTreatment) else str(item)
            for item in value
        ]
    if value is None or isinstance(value, int):
        return value
    return str(value)
