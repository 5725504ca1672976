"""``questions.yaml``: the steps of a consult and the words of each question."""

from __future__ import annotations

from functools import cached_property
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from decision_aid.consult import REVIEWED_LISTS, Outcome, field_choices, field_paths
from decision_aid.content.base import FrozenModel, Text, look_alike_form
from decision_aid.content.checks import check_template
from decision_aid.content.languages import LANGUAGE_QUESTION


def _known_path(path: str) -> str:
    if path not in field_paths():
        raise ValueError(f"{path!r} is not a consult answer")
    return path


class ListStates(FrozenModel):
    """The two answers of a reviewed list besides its items: not reviewed, and none of these."""

    not_reviewed: Text
    none: Text


_CRITERION_NAMES = frozenset({"wpi", "sss"})


class CriterionTexts(FrozenModel):
    """What the window says live of ACR 2016 criterion 1 under the WPI and SSS boxes; the
    met and not-met texts are filled with the two scores ({wpi}, {sss})."""

    unknown: Text
    met: Text
    not_met: Text

    @model_validator(mode="after")
    def _bare_names(self) -> CriterionTexts:
        check_template(self.unknown, None, "criterion.unknown")
        check_template(self.met, _CRITERION_NAMES, "criterion.met")
        check_template(self.not_met, _CRITERION_NAMES, "criterion.not_met")
        return self


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
    # An older form's answer that this question asks again because its meaning changed, as
    # the message on opening such a file says it after the question's label (docs/design.md
    # section 4.1): "was 'Raised'" for version 2's eye pressure "raised". An answer without
    # one is shown as the file had it ("was 'raised'"), never with its label now.
    earlier_answers: dict[str, Text] = Field(default_factory=dict)
    # For the SSS, the last of the two scores of ACR 2016 criterion 1: the live check's words.
    criterion: CriterionTexts | None = None
    unit: str = ""

    @model_validator(mode="after")
    def _labels_told_apart(self) -> Question:
        # Two answers of one question that read alike ("None" and "none", a full-width
        # "Ｎｏｎｅ") would let a pack show one answer and record another.
        groups = [dict(self.options), dict(self.outcome_options)]
        if self.list_states is not None:
            groups[0] |= {
                "(not reviewed)": self.list_states.not_reviewed,
                "(none of these)": self.list_states.none,
            }
        for labels in groups:
            seen: dict[str, str] = {}
            for value, label in labels.items():
                form = look_alike_form(label)
                if form in seen:
                    raise ValueError(
                        f"{self.field}: the answers {seen[form]} and {value} have labels that "
                        f"look the same ({label!r}); each answer of a question needs its own"
                    )
                seen[form] = value
        return self


class Step(FrozenModel):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")]
    title: Text
    intro: str = ""
    # The answers of each choice question side by side, a row or two per question, rather
    # than one under another: for steps of many short questions (the safety conditions).
    compact: bool = False
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
                if question.field == LANGUAGE_QUESTION and choices is not None:
                    # A pack offers some of the program's languages (content/languages.py).
                    offered = tuple(question.options)
                    if not offered or offered != tuple(c for c in choices if c in offered):
                        raise ValueError(
                            f"{question.field}: options must be one or more of "
                            f"{', '.join(choices)}, in that order (the languages of the "
                            "pack's handout files)"
                        )
                elif choices is not None and tuple(question.options) != choices:
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
