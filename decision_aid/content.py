"""The one reader of the content pack: evidence library, rule texts and question texts.

Every clinical statement the program makes is content: it lives in a pack directory (the
built-in ``resources/``, or a clinic's own reviewed copy), is validated here when it is loaded,
and carries the pack's version and review dates. No other module opens a file of the pack.

The built-in pack is ``resources/`` at the top of a source checkout, and
``decision_aid/resources`` inside an installed wheel; both are found through the package.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import pickle
import re
import stat
import string
from collections.abc import Mapping
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal

from pydantic import VERSION as pydantic_version
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from decision_aid.catalogue import PHQ9_BANDS, RULES, Level, Status
from decision_aid.consult import (
    REVIEWED_LISTS,
    Language,
    Outcome,
    describe_validation_error,
    field_choices,
    field_paths,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from importlib.resources.abc import Traversable

    from decision_aid.handout_text import HandoutText

# The YAML files of a pack, each read once. A C loader, because the pure-Python one costs
# several times more at every start (docs/design.md section 10).
PACK_FILE: Final = "pack.yaml"
EVIDENCE_FILE: Final = "evidence.yaml"
RULES_FILE: Final = "rules.yaml"
QUESTIONS_FILE: Final = "questions.yaml"
# The handout's words, one file per language, with the same keys in each.
HANDOUT_FOLDER: Final = "handout"
FONTS_FOLDER: Final = "fonts"
# The two fonts of a pack: embedded in the handout, and given to the window so that it is
# readable on a machine without system fonts.
REGULAR_FONT_FILE: Final = "DejaVuSans.ttf"
BOLD_FONT_FILE: Final = "DejaVuSans-Bold.ttf"


_CITATION_KEY = re.compile(r"^[a-z][a-z0-9_]*$")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
CitationKey = Annotated[str, StringConstraints(pattern=_CITATION_KEY.pattern)]


class ContentError(Exception):
    """A content pack that cannot be used: names the file and what is wrong in it."""

    def __init__(self, file: str, problem: str) -> None:
        super().__init__(f"{file}: {problem}")
        self.file = file
        self.problem = problem


class FrozenModel(BaseModel):
    """The base of every content model (here and in decision_aid.handout_text)."""

    # defer_build: a nested model gets no validator of its own; only the five file-level
    # models are built, once, when their file is validated.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# ---------------------------------------------------------------------------------------------
# pack.yaml


class PackInfo(FrozenModel):
    """Who made the pack, its version and its review dates."""

    name: Text
    version: Text
    published: dt.date
    last_reviewed: dt.date
    next_review: dt.date
    made_by: Text
    funding: Text
    conflicts: Text
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

    def is_overdue(self, today: dt.date) -> bool:
        """True once ``today`` is past the pack's next review date."""
        return today > self.next_review


# ---------------------------------------------------------------------------------------------
# evidence.yaml


Certainty = Literal["high", "moderate", "low", "very_low"]


class Source(FrozenModel):
    """One publication or document in the evidence library."""

    short: Text  # "Noppers 2011", for a note or a list
    citation: Text  # the full reference, as printed
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    pmid: Annotated[str, StringConstraints(pattern=r"^\d{5,9}$")] | None = None
    registry: str | None = None
    kind: Literal[
        "guideline",
        "randomized_trial",
        "systematic_review",
        "observational",
        "case_report",
        "drug_label",
        "regulatory",
        "criteria",
        "instrument",
        "cost_survey",
        "trial_protocol",
        "trial_registration",
        "narrative_review",
        "experimental_study",
        "payer_policy",
        "database",
        "support_service",
    ]
    design: Text
    n: str | None = None  # words, because "11 given ketamine (31 in the study)" is not a number
    population: Text
    regimen: str | None = None
    key_results: tuple[Text, ...] = Field(min_length=1)
    # What the fact base could not confirm: shown as "not verified", never as a fact.
    not_verified: tuple[Text, ...] = ()

    @property
    def identifier(self) -> str | None:
        """ "PMID 123" and/or "DOI 10.x/y", or None when the source has neither."""
        parts = [f"PMID {self.pmid}" if self.pmid else "", f"DOI {self.doi}" if self.doi else ""]
        return "; ".join(part for part in parts if part) or None


class Claim(FrozenModel):
    """A statement the product may make to a patient or clinician, with its support."""

    text: Text
    citations: tuple[CitationKey, ...] = Field(min_length=1)
    certainty: Certainty


class Arm(FrozenModel):
    """One group of a study: counted (8 of 12) or, where only a rate was published, a percent."""

    label: Text
    events: int | None = Field(default=None, ge=0)
    total: int | None = Field(default=None, gt=0)
    percent: float | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def _one_form(self) -> Arm:
        counted = self.events is not None and self.total is not None
        if counted == (self.percent is not None) or (self.events is None) != (self.total is None):
            raise ValueError("give either events and total, or percent")
        if counted and self.events > self.total:  # type: ignore[operator]
            raise ValueError("events cannot exceed total")
        return self

    def per_100(self) -> int:
        """The rate as a whole number out of 100, rounded half up."""
        if self.events is not None and self.total is not None:
            return (self.events * 200 + self.total) // (self.total * 2)
        return int((self.percent or 0) + 0.5)

    def counted(self) -> str | None:
        """ "8 of 12" when the study gave counts, else None."""
        if self.events is None or self.total is None:
            return None
        return f"{self.events} of {self.total}"


class Figure(FrozenModel):
    """An outcome rate from one study, kept as published so every display converts it alike."""

    label: Text
    arms: tuple[Arm, ...] = Field(min_length=1, max_length=2)
    timepoint: Text
    population: Text
    study_size: Text
    citations: tuple[CitationKey, ...] = Field(min_length=1)
    certainty: Certainty


class EvidenceLibrary(FrozenModel):
    sources: dict[CitationKey, Source] = Field(min_length=1)
    claims: dict[CitationKey, Claim]
    figures: dict[CitationKey, Figure]


# ---------------------------------------------------------------------------------------------
# rules.yaml


# A text that the program fills (str.format_map) may hold only bare {name} placeholders and
# {{ or }} for a brace: a format spec ({age:>300000000}), a conversion ({age!r}), an index or
# an attribute ({pack[0]}, {age.real}) could fail, or make a huge text, when a consult is
# assessed or a handout made. A text that is never filled holds no braces at all.
_PLACEHOLDER_NAME: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# The values a placeholder may be given: a number that is not known is None.
_SAMPLE_VALUES: Final = (0, None, "text")


def _placeholders(template: str) -> set[str]:
    """The {names} of a text.

    Raises:
        ValueError: the text has a lone brace, or a placeholder that is not a bare {name}.
    """
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        raise ValueError("a lone { or }: write {{ or }} for a brace") from None
    names = set()
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if not _PLACEHOLDER_NAME.match(name) or spec or conversion is not None:
            shown = name + (f"!{conversion}" if conversion is not None else "")
            shown += f":{spec}" if spec else ""
            raise ValueError(
                f"placeholder {{{shown}}} is not allowed: only a bare {{name}}, with no "
                "format, conversion, index or attribute"
            )
        names.add(name)
    return names


def check_template(template: str, allowed: frozenset[str] | None, where: str) -> None:
    """Checks one text against the {names} the program fills it with.

    Args:
        template: the text.
        allowed: the names it is given, or None for a text that is printed as it is.
        where: the text's key path, which starts the message.

    Raises:
        ValueError: "<where>: <problem>", naming the placeholder at fault.
    """
    if allowed is None:
        if "{" in template or "}" in template:
            raise ValueError(f"{where}: takes no {{placeholders}} and no braces")
        return
    try:
        extra = sorted(_placeholders(template) - allowed)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None
    if extra:
        raise ValueError(
            f"{where}: unknown placeholder {{{extra[0]}}}; "
            f"allowed: {', '.join(sorted(allowed)) or '(none)'}"
        )
    # What the program will do with it, once for every kind of value it may pass.
    for sample in _SAMPLE_VALUES:
        try:
            template.format_map(dict.fromkeys(allowed, sample))
        except Exception as error:  # noqa: BLE001 - any failure is the text's
            raise ValueError(f"{where}: cannot be filled ({error})") from None


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
        return self


# ---------------------------------------------------------------------------------------------
# questions.yaml


def _known_path(path: str) -> str:
    if path not in field_paths():
        raise ValueError(f"{path!r} is not a consult answer")
    return path


class ListStates(FrozenModel):
    """The two answers of a reviewed list besides its items: not reviewed, and none of these."""

    not_reviewed: Text
    none: Text


class Question(FrozenModel):
    """One question of a step: a consult field with its label, help and choice labels."""

    field: Annotated[str, AfterValidator(_known_path)]
    label: Text
    help: str = ""
    # Labels of the allowed values, in the order shown; a number question has none.
    options: dict[str, Text] = Field(default_factory=dict)
    option_help: dict[str, Text] = Field(default_factory=dict)
    # For a list of (choice, outcome) pairs such as prior_treatments: the outcome labels.
    outcome_options: dict[str, Text] = Field(default_factory=dict)
    # For a list that tells "not reviewed" from "none of these" (medicines, substances).
    list_states: ListStates | None = None
    unit: str = ""


class Step(FrozenModel):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")]
    title: Text
    intro: str = ""
    questions: tuple[Question, ...] = ()


class QuestionBook(FrozenModel):
    steps: tuple[Step, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_question_per_answer(self) -> QuestionBook:
        asked = [question.field for step in self.steps for question in step.questions]
        repeated = sorted({field for field in asked if asked.count(field) > 1})
        if repeated:
            raise ValueError(f"asked more than once: {', '.join(repeated)}")
        never = [path for path in field_paths() if path not in asked]
        if never:
            raise ValueError(f"no question for: {', '.join(never)}")
        for step in self.steps:
            for question in step.questions:
                choices = field_choices(question.field)
                if choices is not None and tuple(question.options) != choices:
                    raise ValueError(
                        f"{question.field}: options must be exactly {', '.join(choices)}, "
                        "in that order"
                    )
                if choices is None and question.options:
                    raise ValueError(f"{question.field}: a number question has no options")
                if (question.list_states is None) == (question.field in REVIEWED_LISTS):
                    raise ValueError(
                        f"{question.field}: list_states (not_reviewed, none) belong to "
                        f"{' and '.join(sorted(REVIEWED_LISTS))}, and only to them"
                    )
        outcomes = tuple(Outcome)
        treatments = next(
            q for step in self.steps for q in step.questions if q.field == "prior_treatments"
        )
        if tuple(treatments.outcome_options) != outcomes:
            raise ValueError(f"prior_treatments: outcome_options must be {', '.join(outcomes)}")
        return self

    @cached_property
    def by_field(self) -> dict[str, Question]:
        return {question.field: question for step in self.steps for question in step.questions}

    def label(self, field: str) -> str:
        """The question's label for a dotted field path, or the path when it has none."""
        question = self.by_field.get(field)
        return question.label if question else field

    def option_label(self, field: str, value: str) -> str:
        """The label of one answer value, falling back to the raw value."""
        question = self.by_field.get(field)
        return question.options.get(value, value) if question else value

    def answer_text(self, field: str, value: object) -> str:
        """An answer as the clinician chose it, in labels: "Controlled", "Alcohol, Opioids",
        "Exercise programme (no benefit)", "not known", "none".

        Args:
            field: the dotted path of the answer.
            value: the answer as ``rules.answer`` gives it (a prior treatment as
                "therapy: outcome").
        """
        states = self.by_field[field].list_states if field in self.by_field else None
        if value is None:
            return states.not_reviewed.lower() if states else "not known"
        if not isinstance(value, list):
            return self.option_label(field, str(value))
        if not value:
            return states.none.lower() if states else "none"
        outcomes = self.by_field[field].outcome_options if field in self.by_field else {}
        shown = []
        for item in value:
            choice, _, outcome = str(item).partition(": ")
            text = self.option_label(field, choice)
            shown.append(f"{text} ({outcomes.get(outcome, outcome).lower()})" if outcome else text)
        return ", ".join(shown)


# ---------------------------------------------------------------------------------------------
# handout/<language>.yaml

# [[key]] or [[key1, key2]] in a handout text cites sources of the evidence library.
CITATION_MARK: Final = re.compile(r"\[\[([^\]]*)\]\]")


def citation_marks(text: str) -> tuple[str, ...]:
    """The citation keys of every [[...]] mark in a text, in order, with repeats."""
    return tuple(
        key.strip() for mark in CITATION_MARK.findall(text) for key in mark.split(",") if key
    )


def _check_citation_marks(text: str, where: str) -> None:
    """Refuses an empty mark ([[]]), an empty key ([[key,]]) and a [[ or ]] left unpaired.

    Spaces around a key are allowed ([[ key ]], [[one, two]]): the handout strips them.

    Raises:
        ValueError: "<where>: <problem>".
    """
    for mark in CITATION_MARK.findall(text):
        if any(not key.strip() for key in mark.split(",")):
            raise ValueError(f"{where}: citation mark [[{mark}]] has an empty key")
    rest = CITATION_MARK.sub("", text)
    if "[[" in rest or "]]" in rest:
        raise ValueError(f"{where}: a [[ or ]] that is not part of a [[key]] citation mark")
    # A value filled in next to a bracket could make a mark of its own: "[{label}]".
    fields = list(string.Formatter().parse(text))
    for (literal, name, _, _), (following, _, _, _) in zip(
        fields, [*fields[1:], ("", None, None, None)], strict=True
    ):
        if name is not None and (literal[-1:] in ("[", "]") or following[:1] in ("[", "]")):
            raise ValueError(f"{where}: a [ or ] right next to the placeholder {{{name}}}")


class HandoutTexts(Mapping[Language, "HandoutText"]):
    """Every language's handout words (decision_aid.handout_text), unpickled when first read.

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
            self._texts = pickle.loads(self._pickled)  # noqa: S301
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
                key for words in _strings(text.model_dump()) for key in citation_marks(words)
            )
        return uses


# A clinic's own reviewed pack, shared across its desktops (docs/design.md section 3).
CONTENT_ENV: Final = "DECISION_AID_CONTENT"


def pack_directory(setting: str | None = None, option: str | None = None) -> Traversable:
    """The pack in use: the ``--content`` option, else $DECISION_AID_CONTENT, else the app's
    setting, else the built-in one.

    A clinic pack that is named but broken is refused when it is loaded; the built-in pack is
    never used silently in its place.

    Args:
        setting: the content folder of the window's Settings, if any.
        option: the folder given to ``--content`` for this run, if any.
    """
    chosen = option or os.environ.get(CONTENT_ENV) or setting
    return Path(chosen).expanduser() if chosen else builtin_pack()


def builtin_pack() -> Traversable:
    """The pack that ships with the program, in a wheel or in a source checkout."""
    installed = resources.files("decision_aid") / "resources"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "resources"


def load_content(directory: Traversable | Path | None = None) -> Content:
    """Reads and validates a whole content pack.

    A pack that was validated before, with exactly the same texts and the same program, is
    taken from the user's cache instead of being validated again (see :func:`_cached`).

    Args:
        directory: the pack's folder; when None, the one :func:`pack_directory` names.

    Raises:
        ContentError: a file is missing, is not valid YAML, does not fit its schema, or cites
            a source that the evidence library does not have.
    """
    folder = pack_directory() if directory is None else directory
    if not folder.is_dir():
        raise ContentError(str(folder), "the content pack folder does not exist")
    names = [PACK_FILE, EVIDENCE_FILE, RULES_FILE, QUESTIONS_FILE]
    names += [handout_file(language) for language in Language]
    texts = {name: read_text(folder, name) for name in names}
    digest = hashlib.sha256()
    for name, text in texts.items():
        digest.update(f"{name}\0{text}\0".encode())
    texts_hash = digest.hexdigest()
    cache_file = _cache_file(texts_hash)
    cached = _cached(cache_file, texts_hash)
    if cached is not None:
        return cached.model_copy(update={"location": str(folder)})
    content = _validate_pack(texts, folder, stamp=texts_hash[:10])
    _store(cache_file, content, texts_hash)
    return content


def _validate_pack(texts: dict[str, str], folder: Traversable | Path, stamp: str) -> Content:
    from decision_aid.handout_text import HandoutText

    pack = _validated(PackInfo, texts, PACK_FILE)
    evidence = _validated(EvidenceLibrary, texts, EVIDENCE_FILE)
    rulebook = _validated(RuleBook, texts, RULES_FILE)
    questions = _validated(QuestionBook, texts, QUESTIONS_FILE)
    handout = {
        language: _validated(HandoutText, texts, handout_file(language)) for language in Language
    }
    _check_handout(handout, pack, evidence)
    content = Content(
        pack=pack,
        evidence=evidence,
        rulebook=rulebook,
        questions=questions,
        handout=HandoutTexts.of(handout),
        location=str(folder),
        stamp=stamp,
    )
    for place, keys in content.citation_keys_used().items():
        for key in keys:
            if key not in evidence.sources:
                file, _, where = place.partition(": ")
                raise ContentError(
                    file, f"{where} cites {key!r}, which is not a source in {EVIDENCE_FILE}"
                )
    return content


# Inputs are read only as regular files, and only up to a limit (docs/design.md section 11):
# a pack file is some tens of kB, a font a few hundred.
MAX_PACK_FILE_BYTES: Final = 5_000_000
MAX_FONT_BYTES: Final = 20_000_000


def read_text(folder: Traversable | Path, name: str) -> str:
    """The text of one file of a pack, with its line ends made ``\n``.

    Raises:
        ContentError: the file is missing, unreadable, not a regular file (a FIFO, a device,
            a folder), over 5 MB, or not UTF-8.
    """
    data = _read_pack_bytes(
        folder / name, name, MAX_PACK_FILE_BYTES, f"missing from the content pack at {folder}"
    )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ContentError(name, "is not UTF-8 text") from None
    # As text mode reads it (universal newlines), so a pack's stamp is the same on every OS.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_pack_bytes(file: Traversable | Path, name: str, limit: int, missing: str) -> bytes:
    """The bytes of one file of a pack, read only if it is a regular file of at most ``limit``.

    Raises:
        ContentError: naming the file as ``name``; ``missing`` says where it was looked for.
    """
    from decision_aid.files import FileTooLargeError, NotARegularFileError, read_regular_file

    try:
        if isinstance(file, os.PathLike):
            return read_regular_file(file, limit)
        # A resource of an installed package that is not a file of its own (a zip archive):
        # the program's own, and read through its loader.
        data = file.read_bytes()
    except FileNotFoundError:
        raise ContentError(name, missing) from None
    except (NotARegularFileError, FileTooLargeError) as error:
        raise ContentError(name, str(error)) from None
    except OSError as error:
        raise ContentError(name, f"cannot be read ({error.strerror or error})") from None
    if len(data) > limit:
        raise ContentError(name, f"too large (over {limit // 1_000_000} MB)")
    return data


def parse_yaml(text: str, name: str) -> Any:
    """Parses the YAML text of one pack file.

    Raises:
        ContentError: the text is not valid YAML; the message names the file, line and column.
    """
    # Imported here: a pack taken from the cache is never parsed, and start-up skips PyYAML.
    import yaml

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        _check_events(yaml.parse(text, Loader=loader), name)
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "syntax error"
        raise ContentError(name, f"invalid YAML{where}: {problem}") from None


# The bounds of one pack file's YAML. The built-in pack's largest file (evidence.yaml) has
# about 1,900 events and nests 6 deep, so these leave a wide margin; they keep a hostile
# file (a few KB that nest thousands deep, or millions of tiny entries) from costing
# unbounded time, memory or stack.
MAX_YAML_EVENTS: Final = 200_000
MAX_YAML_DEPTH: Final = 50


def _check_events(events: Iterator[Any], name: str) -> None:
    """Reads a file's YAML events before it is loaded, refusing anchors, aliases and excess.

    An alias makes a node appear again wherever it is named, so a file of a few KB can stand
    for billions of entries ("billion laughs"); a pack needs none, so any anchor or alias is
    refused here, before anything is built.

    Raises:
        ContentError: an anchor or alias, more than MAX_YAML_EVENTS events or nesting deeper
            than MAX_YAML_DEPTH, naming the line.
    """
    import yaml

    depth = 0
    for count, event in enumerate(events, start=1):
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise ContentError(name, f"YAML anchors and aliases are not allowed (line {line})")
        if count > MAX_YAML_EVENTS:
            raise ContentError(
                name, f"too large: more than {MAX_YAML_EVENTS:,} YAML events (line {line})"
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise ContentError(
                    name, f"nested more than {MAX_YAML_DEPTH} levels deep (line {line})"
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _validated[M: BaseModel](model: type[M], texts: dict[str, str], name: str) -> M:
    data = parse_yaml(texts[name], name)
    if not isinstance(data, dict):
        raise ContentError(name, "must hold a YAML mapping at the top level")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ContentError(name, describe_validation_error(error)) from None


# ---------------------------------------------------------------------------------------------
# The cache of validated packs
#
# Validating a pack builds some forty pydantic models, about a sixth of every start-up. A pack
# whose texts and program are unchanged would validate the same way again, so its validated
# form is kept in the user's cache folder, named by a hash of the pack's texts and of the code
# that validates them: any change to either means a new name, and a full validation.

CACHE_ENV: Final = "DECISION_AID_NO_CACHE"
_VALIDATING_CODE: Final = ("content.py", "handout_text.py", "consult.py", "catalogue.py")


# What the cache may be trusted with (docs/design.md section 11): unpickling runs code, so only
# a regular file of this user's own, in a folder that is this user's and that nobody else may
# write, is loaded at all; and what it holds is used only for the very texts being loaded.
# Anything else is ignored, and replaced by a fresh store where the folder is safe. The folder
# is opened once (not followed if it is a link) and the file is opened and replaced relative to
# it, so nothing can be swapped between the checks and the use.
_CACHE_FORMAT: Final = "decision-aid validated pack 1"
_CACHE_FOLDER: Final = "decision-aid"
_STALE_SECONDS: Final = 3600
_NOT_SAFE_MODE: Final = stat.S_IWGRP | stat.S_IWOTH
_O_CLOEXEC: Final = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW: Final = getattr(os, "O_NOFOLLOW", 0)
_O_DIRECTORY: Final = getattr(os, "O_DIRECTORY", 0)


def _cache_file(texts_hash: str) -> Path | None:
    """Where the validated pack of these texts (and this program) is kept; None for no cache."""
    # Only where the checks below can be made: ownership, no-follow opens, relative opens.
    if os.environ.get(CACHE_ENV) or os.name != "posix" or not _O_NOFOLLOW or not _O_DIRECTORY:
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    code = hashlib.sha256(pydantic_version.encode())
    here = Path(__file__).resolve().parent
    try:
        for name in _VALIDATING_CODE:
            code.update((here / name).read_bytes())
    except OSError:
        return None
    key = hashlib.sha256(f"{texts_hash}:{code.hexdigest()}".encode()).hexdigest()[:32]
    return Path(base) / _CACHE_FOLDER / f"content-{key}.pickle"


def _owned_privately(status: os.stat_result) -> bool:
    """This user's, and writable by nobody else."""
    return status.st_uid == os.getuid() and not status.st_mode & _NOT_SAFE_MODE


def _open_cache_folder(folder: Path) -> int | None:
    """A descriptor of the cache folder when it is safe to use, else None (and nothing open)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW | _O_CLOEXEC)
    except OSError:  # missing, a link (ELOOP), not a folder, or not ours to open
        return None
    try:
        status = os.fstat(descriptor)
    except OSError:
        os.close(descriptor)
        return None
    if not stat.S_ISDIR(status.st_mode) or not _owned_privately(status):
        os.close(descriptor)
        return None
    return descriptor


def _cached(path: Path | None, texts_hash: str) -> Content | None:
    """The validated pack kept at ``path`` for texts of hash ``texts_hash``, or None when there
    is none to trust."""
    if path is None:
        return None
    folder = _open_cache_folder(path.parent)
    if folder is None:
        return None
    try:
        flags = os.O_RDONLY | _O_NOFOLLOW | os.O_NONBLOCK | _O_CLOEXEC
        descriptor = os.open(path.name, flags, dir_fd=folder)
    except OSError:  # none yet, or a link (ELOOP)
        return None
    finally:
        os.close(folder)
    with os.fdopen(descriptor, "rb") as file:
        try:
            status = os.fstat(descriptor)
            # A FIFO or a device is never read (it could block, or never end); a pickle runs
            # code, so only a file of this user's that nobody else may write is loaded.
            if not stat.S_ISREG(status.st_mode) or not _owned_privately(status):
                return None
            kept = pickle.load(file)  # noqa: S301 - this user's own file, checked just above
        except Exception:  # noqa: BLE001 - a broken or stale cache is only a cache miss
            return None
    if not (isinstance(kept, tuple) and len(kept) == 4):
        return None
    form, texts, name, content = kept
    if (
        form != _CACHE_FORMAT
        or texts != texts_hash
        or name != path.name
        or not isinstance(content, Content)
        or content.stamp != texts_hash[:10]
    ):
        return None
    return content


def _store(path: Path | None, content: Content, texts_hash: str) -> None:
    """Keeps a validated pack for the next start; a read-only home just goes without, and so
    does a cache folder that is not safe to use (see :func:`_cached`).

    A failed or interrupted store leaves no temporary file; an interruption (such as Ctrl-C)
    is not hidden.
    """
    if path is None:
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return
    folder = _open_cache_folder(path.parent)
    if folder is None:
        return
    try:
        _remove_stale_temporaries(folder)
        _store_in(folder, path.name, (_CACHE_FORMAT, texts_hash, path.name, content))
    except OSError:
        return
    finally:
        os.close(folder)


def _store_in(folder: int, name: str, kept: object) -> None:
    """Writes ``kept`` as ``name`` in the open folder: a new private file, renamed over
    whatever is there (a link is replaced, never written through)."""
    import secrets

    temporary = f".{name}.{secrets.token_hex(8)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC
    descriptor = os.open(temporary, flags, 0o600, dir_fd=folder)
    try:
        with os.fdopen(descriptor, "wb") as file:
            pickle.dump(kept, file, protocol=pickle.HIGHEST_PROTOCOL)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
        raise


def _remove_stale_temporaries(folder: int) -> None:
    """Removes this user's ``*.tmp`` files older than an hour: left by a store that was killed."""
    import time

    old = time.time() - _STALE_SECONDS
    with os.scandir(folder) as entries:
        for entry in entries:
            if not entry.name.endswith(".tmp"):
                continue
            try:
                status = entry.stat(follow_symlinks=False)
                if (
                    stat.S_ISREG(status.st_mode)
                    and status.st_uid == os.getuid()
                    and status.st_mtime < old
                ):
                    os.unlink(entry.name, dir_fd=folder)
            except OSError:
                continue


# ---------------------------------------------------------------------------------------------
# Handout texts and fonts


def handout_file(language: Language) -> str:
    """The pack-relative name of one language's handout texts, as error messages name it."""
    return f"{HANDOUT_FOLDER}/{language.value}.yaml"


def _strings_at(data: object, path: str = "") -> Iterator[tuple[str, str]]:
    """Every text of a handout file's data, with its key path ("results.had")."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings_at(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list | tuple):
        for index, item in enumerate(data):
            yield from _strings_at(item, f"{path}[{index}]")


def _strings(data: object, path: str = "") -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [text for key, value in data.items() for text in _strings(value, f"{path}.{key}")]
    if isinstance(data, list | tuple):
        return [text for item in data for text in _strings(item, path)]
    return []


def _shape_differences(first: object, second: object, path: str) -> str | None:
    """Where two languages' texts differ in shape: keys, list lengths, placeholders, citations.

    The same keys are already enforced by the model; this also keeps every language's
    {placeholders} and [[citations]] identical, so the pages show the same numbers and
    references in every language.
    """
    if isinstance(first, dict) and isinstance(second, dict):
        if list(first) != list(second):
            return f"{path or '(top)'}: keys differ from the English file"
        for key in first:
            problem = _shape_differences(first[key], second[key], f"{path}.{key}".lstrip("."))
            if problem:
                return problem
        return None
    if isinstance(first, list | tuple) and isinstance(second, list | tuple):
        if len(first) != len(second):
            return f"{path}: has {len(second)} entries, the English file {len(first)}"
        for index, (one, other) in enumerate(zip(first, second, strict=True)):
            problem = _shape_differences(one, other, f"{path}[{index}]")
            if problem:
                return problem
        return None
    if isinstance(first, str) and isinstance(second, str):
        if _placeholders(first) != _placeholders(second):
            return f"{path}: {{placeholders}} differ from the English file"
        if sorted(set(citation_marks(first))) != sorted(set(citation_marks(second))):
            return f"{path}: [[citations]] differ from the English file"
    return None


def _check_handout(
    handout: dict[Language, HandoutText], pack: PackInfo, evidence: EvidenceLibrary
) -> None:
    """Cross-checks the handout files against each other, pack.yaml and the evidence library.

    Raises:
        ContentError: naming the handout file at fault.
    """
    from decision_aid.handout_text import TEMPLATES

    english = handout[Language.EN]
    for language, text in handout.items():
        name = handout_file(language)
        for where, words in _strings_at(text.model_dump()):
            try:
                check_template(words, TEMPLATES.get(where), where)
                _check_citation_marks(words, where)
            except ValueError as error:
                raise ContentError(name, str(error)) from None
        for figure_id, figure_text in text.results.figures.items():
            figure = evidence.figures.get(figure_id)
            if figure is None:
                raise ContentError(
                    name, f"results.figures.{figure_id} is not a figure in {EVIDENCE_FILE}"
                )
            if len(figure_text.arms) != len(figure.arms):
                raise ContentError(
                    name,
                    f"results.figures.{figure_id}: names {len(figure_text.arms)} groups, "
                    f"the figure has {len(figure.arms)}",
                )
        if language is not Language.EN:
            problem = _shape_differences(english.model_dump(), text.model_dump(), "")
            if problem:
                raise ContentError(name, problem)
    for field_name, value in english.pack_texts.model_dump().items():
        if " ".join(value.split()) != " ".join(str(getattr(pack, field_name)).split()):
            raise ContentError(
                handout_file(Language.EN), f"pack_texts.{field_name} must match {PACK_FILE}"
            )


_FONT_NAME: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.ttf$")
# How a TrueType or OpenType font file starts (its sfnt version).
_FONT_MARKS: Final = (b"\x00\x01\x00\x00", b"true", b"OTTO")


def font_bytes(name: str, pack: str | Path | None = None) -> bytes:
    """The bytes of one TrueType font of the content pack, for embedding in a handout.

    A clinic pack may bring its own ``fonts/`` folder; without one, the fonts come from the
    built-in pack, so a clinic need not copy them.

    Args:
        name: the font file name, such as ``DejaVuSans.ttf``.
        pack: the folder of the pack in use (``Content.location``); None for the built-in one.

    Raises:
        ContentError: the name is not a plain ``.ttf`` file name, or the file is missing, is
            not a regular file, is over 20 MB or does not start as a TrueType or OpenType font.
    """
    label = f"{FONTS_FOLDER}/{name}"
    if not _FONT_NAME.match(name):
        raise ContentError(label, "not a .ttf file name")
    folder: Traversable | Path = builtin_pack() / FONTS_FOLDER
    if pack is not None and (Path(pack) / FONTS_FOLDER).is_dir():
        folder = Path(pack) / FONTS_FOLDER
    data = _read_pack_bytes(folder / name, label, MAX_FONT_BYTES, f"missing from {folder}")
    if not data.startswith(_FONT_MARKS):
        raise ContentError(label, "not a TrueType or OpenType font")
    return data
