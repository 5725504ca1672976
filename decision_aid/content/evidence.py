"""``evidence.yaml``: the evidence library, with its sources, claims and figures."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from decision_aid.content.base import CitationKey, FrozenModel, Text, VisibleText

Certainty = Literal["high", "moderate", "low", "very_low"]


class Source(FrozenModel):
    """One publication or document in the evidence library."""

    # What the note, the window and the handout print for it: a citation that shows nothing
    # would print an empty "Sources:".
    short: VisibleText  # "Noppers 2011", for a note or a list
    citation: VisibleText  # the full reference, as printed
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
