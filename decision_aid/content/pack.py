"""``pack.yaml`` (who made the pack, its version and review dates) and the loaded pack as a
whole: :class:`Content`, every file of a pack validated.
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Final

from pydantic import ConfigDict, StringConstraints, field_validator, model_validator

from decision_aid.consult import Language
from decision_aid.content.base import EVIDENCE_FILE, RULES_FILE, FrozenModel, Text, handout_file
from decision_aid.content.checks import citation_marks, strings_of
from decision_aid.content.evidence import EvidenceLibrary
from decision_aid.content.languages import offered_languages
from decision_aid.content.questions import QuestionBook
from decision_aid.content.rulebook import RuleBook

if TYPE_CHECKING:
    from collections.abc import Iterator

    from decision_aid.content.handout_text import HandoutText


# Who reviewed the content, and when: one or two short sentences for the handout's "About"
# block (IPDAS D1), beside who made and who funded it.
MAX_REVIEWED_BY: Final = 300
ReviewedBy = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_REVIEWED_BY)
]


class PackInfo(FrozenModel):
    """Who made the pack, who funded and who reviewed it, its version and its review dates."""

    name: Text
    version: Text
    published: dt.date
    last_reviewed: dt.date
    next_review: dt.date
    made_by: Text
    funding: Text
    conflicts: Text
    reviewed_by: ReviewedBy
    review_policy: Text
    evidence_method: Text
    research_date: Text

    @model_validator(mode="after")
    def _dates_in_order(self) -> PackInfo:
        if self.next_review <= self.last_reviewed:
            raise ValueError("next_review must come after last_reviewed")
        return self

    @model_validator(mode="after")
    def _no_brackets(self) -> PackInfo:
        # The handout prints them inside its texts, where [[key]] is a citation mark.
        for field in ("name", "version"):
            if "[" in getattr(self, field) or "]" in getattr(self, field):
                raise ValueError(f"{field} may not hold [ or ]")
        return self

    @field_validator("reviewed_by")
    @classmethod
    def _printed_as_it_is(cls, value: str) -> str:
        # Printed as it is, beside texts where {name} is filled in and [[key]] cites a source.
        if any(mark in value for mark in "{}[]"):
            raise ValueError("may not hold {, }, [ or ]")
        return value

    def is_overdue(self, today: dt.date) -> bool:
        """True once ``today`` is past the pack's next review date."""
        return today > self.next_review


class HandoutTexts(Mapping[Language, "HandoutText"]):
    """Every language's handout words (``content.handout_text``), unpickled when first read.

    A pack from the cache holds them as a pickle of their own, so that a process that makes
    no handout neither unpickles them nor defines their models.
    """

    def __init__(self, pickled: bytes, texts: dict[Language, HandoutText] | None = None) -> None:
        self._pickled = pickled
        self._texts = texts

    @classmethod
    def of(cls, texts: dict[Language, HandoutText]) -> HandoutTexts:
        return cls(pickle.dumps(texts, protocol=pickle.HIGHEST_PROTOCOL), texts)

    def _loaded(self) -> dict[Language, HandoutText]:
        if self._texts is None:
            # Bytes this program pickled itself, from a cache file only its user may write.
            self._texts = pickle.loads(self._pickled)
        return self._texts

    def __getitem__(self, language: Language) -> HandoutText:
        return self._loaded()[language]

    def __iter__(self) -> Iterator[Language]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())

    def __reduce__(self) -> tuple[type[HandoutTexts], tuple[bytes]]:
        return HandoutTexts, (self._pickled,)


# ---------------------------------------------------------------------------------------------
# The pack as a whole


class Content(FrozenModel):
    """A loaded, validated content pack."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    pack: PackInfo
    evidence: EvidenceLibrary
    rulebook: RuleBook
    questions: QuestionBook
    handout: HandoutTexts
    location: str  # where the pack was read from, for About and --check-install
    # A short hash of every file's text: printed on the handout and in the note, it proves
    # which texts a patient was given without storing anything about the patient.
    stamp: str

    @property
    def languages(self) -> dict[Language, str]:
        """The languages this pack offers a handout in, with its names for them, in the
        program's order (docs/design.md section 3, "Languages and papers")."""
        return offered_languages(self.questions)

    @property
    def label(self) -> str:
        """ "<pack name> <version> (<stamp>)", as the note, the handout and About name the pack."""
        return f"{self.pack.name} {self.pack.version} ({self.stamp})"

    def citation_keys_used(self) -> dict[str, tuple[str, ...]]:
        """Every place that cites a source, and the keys it cites."""
        uses: dict[str, tuple[str, ...]] = {}
        for claim_id, claim in self.evidence.claims.items():
            uses[f"{EVIDENCE_FILE}: claims.{claim_id}"] = claim.citations
        for figure_id, figure in self.evidence.figures.items():
            uses[f"{EVIDENCE_FILE}: figures.{figure_id}"] = figure.citations
        for rule_id, rule in self.rulebook.rules.items():
            uses[f"{RULES_FILE}: rules.{rule_id}"] = rule.citations + tuple(
                key for keys in rule.variant_citations.values() for key in keys
            )
        for language, text in self.handout.items():
            uses[f"{handout_file(language)}: texts"] = tuple(
                key for words in strings_of(text.model_dump()) for key in citation_marks(words)
            )
        return uses
