"""Which words of pages 1 to 3 a consult's handout prints: pure choices, no layout, no
reportlab (docs/design.md 6.3 to 6.5, and section 6 "Pages 1 to 3" of docs/design.md).

Made from the handout texts of one language and a :class:`Tailoring` alone, so that a test
can ask what an uninsured or an everything-tried copy says without rendering it, and so that
nothing here can print what the tailoring does not hold (privacy on paper).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from decision_aid.consult import Coverage

if TYPE_CHECKING:
    from decision_aid.content.handout_text import CostText, HandoutText, NumbersRow, OptionText
    from decision_aid.handout.tailoring import Tailoring

__all__ = ["CostParts", "NUMBERS_ORDER", "cost_parts", "numbers_rows", "option_columns"]

# The order of "Standard options in numbers": the guideline's (EULAR 2017), exercise first,
# not the order the consult lists treatments in.
NUMBERS_ORDER: Final = (
    "exercise",
    "tricyclic-type",
    "SNRI",
    "gabapentinoid",
    "cbt",
    "multidisciplinary_rehab",
)

_GRID_FIELDS: Final = ("helps", "lasts", "side_effects", "visits", "cost")


def option_columns(
    text: HandoutText, tailoring: Tailoring
) -> tuple[OptionText, OptionText, OptionText]:
    """The grid's three columns for this consult: current care, the standard options (what
    is left untried, or said plainly to be tried), IV ketamine.

    An everything-tried copy answers every row of the standard column with "You have tried
    these", never a guideline's advice to start with them; an uninsured copy's cost cells
    name no health plan (docs/design.md 6.3, 6.5)."""
    options = text.options
    standard, ketamine = options.standard, options.ketamine
    untried = tailoring.untried_options
    if untried:
        names = ", ".join(options.standard_names[key] for key in untried)
        standard = standard.model_copy(update={"what": standard.what.format(names=names)})
    else:
        tried = dict.fromkeys(_GRID_FIELDS, options.standard_tried)
        standard = standard.model_copy(update={"what": options.standard_none, **tried})
    if tailoring.coverage is Coverage.UNINSURED:
        if untried:
            standard = standard.model_copy(update={"cost": options.uninsured_cost.standard})
        ketamine = ketamine.model_copy(update={"cost": options.uninsured_cost.ketamine})
    return options.current, standard, ketamine


def numbers_rows(text: HandoutText, tailoring: Tailoring) -> tuple[NumbersRow, ...]:
    """The rows of "Standard options in numbers": one per option not yet tried, in the
    guideline's order; none when every one was tried (the page then prints one sentence)."""
    untried = set(tailoring.untried_options)
    return tuple(text.numbers.rows[key] for key in NUMBERS_ORDER if key in untried)


@dataclass(frozen=True, slots=True)
class CostParts:
    """What "Paying for care" prints, in order (docs/design.md 6.5).

    Attributes:
        lower_cost_first: the lower-cost routes, before any price, or None.
        price: the price of one infusion and of a first series.
        coverage: what the patient's coverage means for it, with prior authorisation.
        call: the call-your-plan paragraph (title, text), or None: not for someone with no
            insurance, and not when ketamine is not advised (nothing assumes booking).
    """

    lower_cost_first: str | None
    price: str
    coverage: str
    call: tuple[str, str] | None


def cost_parts(cost: CostText, tailoring: Tailoring) -> CostParts:
    """The words of "Paying for care" for this consult's coverage and ability to pay."""
    uninsured = tailoring.coverage is Coverage.UNINSURED
    coverage = [cost.coverage[tailoring.coverage]]
    if tailoring.prior_auth and not uninsured:
        coverage.append(cost.prior_auth)
    call = None
    if tailoring.booking_allowed and not uninsured:
        call = (cost.script.title, cost.script.text)
    return CostParts(
        lower_cost_first=cost.low_cost if tailoring.cost_is_hard else None,
        price=f"{cost.price} {cost.series}",
        coverage=" ".join(coverage),
        call=call,
    )
