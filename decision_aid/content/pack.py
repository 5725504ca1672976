"""``pack.yaml`` (who made the pack, its version and review dates) and the loaded pack as a
whole: :class:`Content`, every file of a pack validated.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal

from pydantic import ConfigDict, Field, StringConstraints, field_validator, model_validator

from decision_aid.consult import Language
from decision_aid.content.base import (
    COURSE_WORDS_FILE,
    EVIDENCE_FILE,
    FUNDED_BY_NONE,
    RULES_FILE,
    FrozenModel,
    Text,
    handout_file,
    rebuild,
)
from decision_aid.content.checks import citation_marks, strings_of
from decision_aid.content.course_words import CourseWords
from decision_aid.content.evidence import EvidenceLibrary
from decision_aid.content.languages import offered_languages
from decision_aid.content.questions import QuestionBook
from decision_aid.content.rulebook import RuleBook

if TYPE_CHECKING:
    from collections.abc import Iterator

    from decision_aid.content.handout_text import HandoutText


# Words that make a funding line say who did not pay: a funder's name holds none of them.
_NOT_PAID: Final = re.compile(
    r"\b(?:no|not|none of|nobody|no one|neither|nor|without|never"
    r"|ningún|ninguna|ninguno|nadie|sin)\b",
    re.IGNORECASE,
)
# The pack.yaml fields of version 2, replaced by authors, reviewers and funded_by.
_OLD_FIELDS: Final = ("made_by", "funding", "reviewed_by")
# What "About" prints beside each name is short: one line or two.
MAX_ABOUT_WORDS: Final = 200
AboutText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ABOUT_WORDS)
]


def _printed_as_it_is(value: str) -> str:
    # Printed inside the handout's texts, where {name} is filled in and [[key]] cites a source.
    if any(mark in value for mark in "{}[]"):
        raise ValueError("may not hold {, }, [ or ]")
    return value


class Author(FrozenModel):
    """Who wrote the content: a name or a role, and their qualification."""

    name: AboutText
    qualification: AboutText

    @field_validator("name", "qualification")
    @classmethod
    def _plain(cls, value: str) -> str:
        return _printed_as_it_is(value)


class Reviewer(FrozenModel):
    """Who checked the content, their qualification and when; ``patient`` marks a patient
    reviewer, so that the handout says whether patients have checked it."""

    role: AboutText
    qualification: AboutText
    date: dt.date
    patient: bool = False

    @field_validator("role", "qualification")
    @classmethod
    def _plain(cls, value: str) -> str:
        return _printed_as_it_is(value)


class ReadingLevel(FrozenModel):
    """The reading level measured for this version in one language (IPDAS L1): the
    Flesch-Kincaid grade in English, the Szigriszt-Pazos (INFLESZ) score in Spanish."""

    measure: Literal["flesch_kincaid_grade", "szigriszt_pazos"]
    score: float = Field(ge=0, le=206.835)


class PackInfo(FrozenModel):
    """Who wrote the pack, who checked it and who paid for it, its version, its review dates
    and its measured reading level (docs/design.md 6.8)."""

    name: Text
    version: Text
    published: dt.date
    last_reviewed: dt.date
    next_review: dt.date
    authors: tuple[Author, ...] = Field(min_length=1)
    reviewers: tuple[Reviewer, ...] = ()
    funded_by: AboutText
    conflicts: Text
    review_policy: Text
    evidence_method: Text
    research_date: Text
    reading_level: dict[Language, ReadingLevel] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _not_the_old_fields(cls, data: Any) -> Any:
        # A clinic pack written for version 2 gets one line that says what to write instead.
        if isinstance(data, dict) and any(name in data for name in _OLD_FIELDS):
            raise ValueError(
                "made_by, funding and reviewed_by were replaced by authors (name, "
                "qualification), reviewers (role, qualification, date) and funded_by (who "
                "paid, or none), with reading_level: see docs/design.md 6.8"
            )
        return data

    @field_validator("funded_by")
    @classmethod
    def _who_paid(cls, value: str) -> str:
        _printed_as_it_is(value)
        # IPDAS C6: say who paid, or that no one did; a list of who did not pay says neither.
        if value != FUNDED_BY_NONE and _NOT_PAID.search(value):
            raise ValueError(
                f"names who did not pay ({value!r}): name who paid for the handout, or write "
                f"{FUNDED_BY_NONE} when no one did"
            )
        return value

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

    @property
    def patients_reviewed(self) -> bool:
        return any(reviewer.patient for reviewer in self.reviewers)

    # pack.yaml's words in one line each, for the window's About (the handout says them in
    # its own language, decision_aid/handout/about.py).

    @property
    def written_by(self) -> str:
        return "; ".join(f"{author.name} ({author.qualification})" for author in self.authors)

    @property
    def checked_by(self) -> str:
        checked = "; ".join(
            f"{reviewer.role} ({reviewer.qualification}), {reviewer.date.isoformat()}"
            for reviewer in self.reviewers
        )
        patients = "" if self.patients_reviewed else " No patients have checked it yet."
        return (f"{checked}." if checked else "No one has checked it yet.") + patients

    @property
    def paid_by(self) -> str:
        if self.funded_by == FUNDED_BY_NONE:
            return "No one paid for it: its authors wrote it without outside money."
        return f"{self.funded_by} paid for it."

    def is_overdue(self, today: dt.date) -> bool:
        """True once ``today`` is past the pack's next review date."""
        return today > self.next_review


class HandoutTexts(Mapping[Language, "HandoutText"]):
    """Every language's handout words (``content.handout_text``), built when first read.

    A pack from the cache holds them as JSON data (:meth:`as_data`), built into models only
    when a handout is first made, so that a process that makes no handout never defines
    their models.
    """

    def __init__(
        self, data: dict[str, Any] | None = None, texts: dict[Language, HandoutText] | None = None
    ) -> None:
        self._data = data
        self._texts = texts

    @classmethod
    def of(cls, texts: dict[Language, HandoutText]) -> HandoutTexts:
        return cls(None, texts)

    @classmethod
    def rebuilt_from_data(cls, data: object) -> HandoutTexts:
        """From :meth:`as_data`'s data (``content.base.rebuild`` calls this)."""
        if not isinstance(data, dict) or not all(
            isinstance(value, dict) for value in data.values()
        ):
            raise TypeError("the handout texts are not an object of objects")
        for code in data:
            Language(code)  # a language of the program, or ValueError
        return cls(data)

    def as_data(self) -> dict[str, Any]:
        """The texts as JSON data, by language code."""
        return {
            language.value: text.model_dump(mode="json")
            for language, text in self._loaded().items()
        }

    def _loaded(self) -> dict[Language, HandoutText]:
        if self._texts is None:
            from decision_aid.content.handout_text import HandoutText

            # Data this program wrote from a validated pack: built again, not validated again.
            data = self._data or {}
            self._texts = {
                Language(code): rebuild(HandoutText, text) for code, text in data.items()
            }
        return self._texts

    def __getitem__(self, language: Language) -> HandoutText:
        return self._loaded()[language]

    def __iter__(self) -> Iterator[Language]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())


# ---------------------------------------------------------------------------------------------
# The pack as a whole


class Content(FrozenModel):
    """A loaded, validated content pack."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    pack: PackInfo
    evidence: EvidenceLibrary
    rulebook: RuleBook
    questions: QuestionBook
    course: CourseWords
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
        for rule_id, rule in self.rulebook.course_rules.items():
            uses[f"{RULES_FILE}: course_rules.{rule_id}"] = rule.citations
        uses[f"{RULES_FILE}: course_thresholds"] = self.rulebook.course_thresholds.citations()
        uses[f"{COURSE_WORDS_FILE}: window"] = self.course.window.citations()
        for language, text in self.handout.items():
            uses[f"{handout_file(language)}: texts"] = tuple(
                key for words in strings_of(text.model_dump()) for key in citation_marks(words)
            )
        return uses
