"""A pack that passes validation cannot fail later (docs/design.md section 11): its text
templates hold only the bare {names} each text is given, its citation marks are never empty,
and its YAML has no anchors or aliases and stays within size bounds."""

from __future__ import annotations

import ast
import datetime as dt
import itertools
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from decision_aid import findings as findings_module
from decision_aid import rules as rules_module
from decision_aid.catalogue import RULES
from decision_aid.consult import Consult, Language
from decision_aid.content import (
    MAX_YAML_DEPTH,
    MAX_YAML_EVENTS,
    ContentError,
    PackInfo,
    RuleBook,
    handout_file,
    load_content,
)
from decision_aid.content import checks as content_module
from decision_aid.content.handout_text import TEMPLATES
from tests.helpers import REPO, content, edit, safe_consult
from tests.strategies import consults

if TYPE_CHECKING:
    from pathlib import Path


def refused(pack: Path) -> ContentError:
    with pytest.raises(ContentError) as caught:
        load_content(pack)
    return caught.value


# --- rule texts ------------------------------------------------------------------------------

BAD_PLACEHOLDERS = [
    ("{age:{zzz}}", "{age:{zzz}}"),
    ("{age!z}", "{age!z}"),
    ("{age!r}", "{age!r}"),
    ("{age:>300000000}", "{age:>300000000}"),
    ("{age.real}", "{age.real}"),
    ("{age[0]}", "{age[0]}"),
    ("{ age }", "{ age }"),
    ("{}", "{}"),
    ("{0}", "{0}"),
    ("{bogus}", "unknown placeholder {bogus}; allowed: age"),
    ("{", "a lone { or }"),
    ("}", "a lone { or }"),
    ("{age", "a lone { or }"),
]


@pytest.mark.parametrize(("placeholder", "message"), BAD_PLACEHOLDERS)
def test_a_rule_text_with_a_bad_placeholder_is_refused(
    pack: Path, placeholder: str, message: str
) -> None:
    edit(pack / "rules.yaml", "Age {age}: out", f"Age {placeholder}: out")
    error = refused(pack)
    assert error.file == "rules.yaml"
    assert "rules.stop.age.text: " in error.problem
    assert message in error.problem


def test_a_variant_is_held_to_the_same_rule(pack: Path) -> None:
    # months is None when the symptom duration is not known: {months:d} would fail then.
    edit(pack / "rules.yaml", "Symptoms for {months} months", "Symptoms for {months:d} months")
    error = refused(pack)
    assert error.file == "rules.yaml"
    assert "rules.first.diagnosis.variants.short_duration: placeholder {months:d}" in str(error)


def test_a_name_given_only_with_a_variant_is_refused_in_the_rule_text(pack: Path) -> None:
    # Without a PHQ-9 total, info.depression_current is filled with no values at all.
    old = "Current depression: treat"
    edit(pack / "rules.yaml", old, "Total {total}. " + old)
    error = refused(pack)
    assert "rules.info.depression_current.text: unknown placeholder {total}" in str(error)


def test_a_title_takes_no_braces(pack: Path) -> None:
    edit(pack / "rules.yaml", "title: Under 18", "title: Under {{18}}")
    assert "rules.stop.age.title: a title takes no" in str(refused(pack))


def test_doubled_braces_are_literal_braces(pack: Path) -> None:
    edit(pack / "rules.yaml", "Age {age}: out", "Age {age} {{sic}}: out")
    finding = rules_module.assess(
        safe_consult(patient={"age_years": 17}), load_content(pack)
    ).fired("stop.age")
    assert finding is not None
    assert "Age 17 {sic}: out" in finding.text


# --- handout texts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'counted: "{events} of',
            'counted: "{events:>300000000} of',
            "results.counted: placeholder {events:>300000000}",
        ),
        (
            'counted: "{events} of',
            'counted: "{events.real} of',
            "results.counted: placeholder {events.real}",
        ),
        (
            'counted: "{events} of',
            'counted: "{label} of',
            "results.counted: unknown placeholder {label}",
        ),
        ("Page {page} of", "Page {page!a} of", "page_of: placeholder {page!a}"),
        ('{pack}, version {version}, published {published}"', '{pack[0]}"', "footer: "),
        ("Ask for a newer version.", "Ask {", "overdue.long: a lone { or }"),
        # A text that is never filled takes no braces at all.
        (
            'decision: "The choice:',
            'decision: "{n} The choice:',
            "decision: takes no {placeholders}",
        ),
        (
            'decision: "The choice:',
            'decision: "}} The choice:',
            "decision: takes no {placeholders}",
        ),
    ],
)
def test_a_handout_text_with_a_bad_placeholder_is_refused(
    pack: Path, old: str, new: str, message: str
) -> None:
    edit(pack / "handout" / "en.yaml", old, new)
    error = refused(pack)
    assert error.file == "handout/en.yaml"
    assert message in error.problem


@pytest.mark.parametrize(
    ("placeholder", "message"),
    [
        ("{events:>300000000}", "results.counted: placeholder {events:>300000000} is not allowed"),
        ("{bogus}", "results.counted: unknown placeholder {bogus}; allowed: events, total"),
    ],
)
def test_a_bad_placeholder_in_every_language_is_refused_in_english(
    pack: Path, placeholder: str, message: str
) -> None:
    # The same in every language, so that the languages still agree with each other.
    edit(pack / "handout" / "en.yaml", 'counted: "{events} of', f'counted: "{placeholder} of')
    edit(pack / "handout" / "es.yaml", "counted: '{events} de", f"counted: '{placeholder} de")
    error = refused(pack)
    assert (error.file, error.problem[: len(message)]) == ("handout/en.yaml", message)


def test_a_handout_template_may_hold_doubled_braces(pack: Path) -> None:
    edit(pack / "handout" / "en.yaml", "Page {page} of {pages}", "Page {page} of {pages} {{x}}")
    assert load_content(pack).handout[Language.EN].page_of.format(page=1, pages=2) == (
        "Page 1 of 2 {x}"
    )


def test_every_handout_template_is_a_text_of_the_built_in_pack() -> None:
    for language in Language:
        texts = dict(content_module._strings_at(content().handout[language].model_dump()))
        assert set(TEMPLATES) <= set(texts), handout_file(language)


def _format_calls(tree: ast.AST) -> list[tuple[str, set[str]]]:
    """Every ``<something>.<attribute>.format(name=...)`` call: the attribute and the names."""
    calls = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("format", "format_map")
        ):
            assert node.func.attr == "format", ast.unparse(node)
            assert not node.args, ast.unparse(node)
            assert isinstance(node.func.value, ast.Attribute), ast.unparse(node)
            names = {keyword.arg for keyword in node.keywords}
            assert None not in names, ast.unparse(node)
            calls.append((node.func.value.attr, {name for name in names if name}))
    return calls


def test_the_declared_handout_templates_are_those_the_handout_fills() -> None:
    """TEMPLATES names each text the handout code formats, with exactly the names it passes."""
    formatted: set[str] = set()
    for module in sorted((REPO / "decision_aid" / "handout").glob("*.py")):
        for attribute, names in _format_calls(ast.parse(module.read_text(encoding="utf-8"))):
            paths = [path for path in TEMPLATES if path.rsplit(".", 1)[-1] == attribute]
            assert len(paths) == 1, f"{module.name}: {attribute}.format() is not in TEMPLATES"
            assert TEMPLATES[paths[0]] == names, paths[0]
            formatted.add(paths[0])
    assert formatted == set(TEMPLATES)


@pytest.mark.parametrize("language", list(Language))
def test_every_handout_template_of_the_built_in_pack_can_be_filled(language: Language) -> None:
    texts = dict(content_module._strings_at(content().handout[language].model_dump()))
    for path, names in TEMPLATES.items():
        for sample in (0, None, 100, "words"):
            filled = texts[path].format(**dict.fromkeys(names, sample))
            assert "{" not in filled, path


# --- citation marks --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mark", "message"),
    [
        ("[[]]", "citation mark [[]] has an empty key"),
        ("[[ ]]", "citation mark [[ ]] has an empty key"),
        ("[[pastrak2021,]]", "citation mark [[pastrak2021,]] has an empty key"),
        ("[[, pastrak2021]]", "has an empty key"),
        ("[[pastrak2021,,chan2022]]", "has an empty key"),
        ("[[pastrak2021]", "a [[ or ]] that is not part of a [[key]] citation mark"),
        ("pastrak2021]]", "a [[ or ]] that is not part of"),
    ],
)
def test_an_empty_or_broken_citation_mark_is_refused(pack: Path, mark: str, message: str) -> None:
    edit(pack / "handout" / "en.yaml", "[[wolfe2016]].", f"{mark}.")
    error = refused(pack)
    assert error.file == "handout/en.yaml"
    assert error.problem.startswith("condition: ")
    assert message in error.problem


@pytest.mark.parametrize("mark", ["[[]]", "[[pastrak2021,]]"])
def test_an_empty_citation_mark_in_every_language_is_refused(pack: Path, mark: str) -> None:
    for language in ("en", "es"):
        edit(pack / "handout" / f"{language}.yaml", "[[wolfe2016]].", f"{mark}.")
    error = refused(pack)
    assert error.file == "handout/en.yaml"
    assert f"condition: citation mark {mark} has an empty key" == error.problem


def test_a_placeholder_next_to_a_bracket_is_refused(pack: Path) -> None:
    # "[{events}]" with a value "[pastrak2021]" would print as a citation mark.
    edit(
        pack / "handout" / "en.yaml",
        '"{events} of {total} people"',
        '"[{events}] of {total} people"',
    )
    error = refused(pack)
    assert error.problem == "results.counted: a [ or ] right next to the placeholder {events}"


def test_the_pack_name_and_version_hold_no_brackets(pack: Path) -> None:
    # The handout's about.version prints them, and reads [[...]] there as a citation mark.
    edit(pack / "pack.yaml", "name: decision-aid built-in content", "name: '[[pack]]'")
    error = refused(pack)
    assert str(error) == "pack.yaml: name may not hold [ or ]"


REVIEWERS = (
    "reviewers:\n"
    "  - role: One clinician\n"
    "    qualification: a clinician who treats patients\n"
    "    date: 2026-12-01\n"
)


def test_the_built_in_pack_says_who_wrote_checked_and_paid_for_it() -> None:
    pack = content().pack
    assert [(author.name, bool(author.qualification)) for author in pack.authors] == [
        ("The decision-aid project team", True)
    ]
    assert [(reviewer.role, reviewer.date) for reviewer in pack.reviewers] == [
        ("One clinician", dt.date(2026, 12, 1))
    ]
    assert not pack.patients_reviewed
    assert pack.funded_by == "none"


def test_a_pack_that_does_not_say_who_wrote_it_is_refused(pack: Path) -> None:
    text = (pack / "pack.yaml").read_text(encoding="utf-8")
    authors = text[text.index("authors:") : text.index("# Who checked it")]
    edit(pack / "pack.yaml", authors, "")
    error = refused(pack)
    assert str(error) == "pack.yaml: authors: required here but missing"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("'   '", "reviewers[0].role: String should have at least 1 character"),
        ("x" * 201, "reviewers[0].role: String should have at most 200 characters"),
        ("'Checked by {name}'", "reviewers[0].role: may not hold {, }, [ or ]"),
        ("'Checked by [[wolfe2016]]'", "reviewers[0].role: may not hold {, }, [ or ]"),
    ],
)
def test_who_checked_it_is_short_plain_text(pack: Path, value: str, problem: str) -> None:
    edit(pack / "pack.yaml", "  - role: One clinician\n", f"  - role: {value}\n")
    error = refused(pack)
    assert (error.file, error.problem) == ("pack.yaml", problem)


def test_who_checked_it_is_stripped_and_may_take_200_characters() -> None:
    # The model alone: the handout's pack_texts will have to say the same words.
    data = yaml.safe_load((REPO / "resources" / "pack.yaml").read_text(encoding="utf-8"))
    data["reviewers"][0]["role"] = f"  {'x' * 200}\n"
    assert PackInfo.model_validate(data).reviewers[0].role == "x" * 200


@pytest.mark.parametrize(
    "line",
    [
        "No drug maker, infusion clinic or insurer paid for it.",
        "Not funded by industry",
        "Nobody from a drug company",
        "Ningún fabricante de medicamentos",
    ],
)
def test_a_funding_line_that_names_only_who_did_not_pay_is_refused(pack: Path, line: str) -> None:
    # IPDAS C6 (handout-standards 9.1): say who paid, or that no one did.
    edit(pack / "pack.yaml", "funded_by: none", f"funded_by: {line}")
    error = refused(pack)
    assert error.file == "pack.yaml"
    assert error.problem.startswith(f"funded_by: names who did not pay ({line!r})")
    assert "\n" not in error.problem


def test_a_named_funder_is_taken_and_printed_as_who_paid() -> None:
    data = yaml.safe_load((REPO / "resources" / "pack.yaml").read_text(encoding="utf-8"))
    data["funded_by"] = "The Example Health Foundation"
    pack = PackInfo.model_validate(data)
    assert pack.paid_by == "The Example Health Foundation paid for it."


def test_a_version_2_pack_yaml_is_refused_in_one_line_that_says_what_to_write(pack: Path) -> None:
    text = (pack / "pack.yaml").read_text(encoding="utf-8")
    old = text[text.index('# "About this handout"') : text.index("conflicts:")]
    edit(
        pack / "pack.yaml",
        old,
        "made_by: The decision-aid project team.\n"
        "funding: No drug maker, infusion clinic or insurer paid for it.\n"
        "reviewed_by: One clinician checked it in December 2026.\n",
    )
    error = refused(pack)
    assert error.file == "pack.yaml"
    assert error.problem.startswith("made_by, funding and reviewed_by were replaced by authors")
    assert "\n" not in str(error)


def test_spaces_around_a_citation_key_are_allowed(pack: Path) -> None:
    from decision_aid.handout import Paper, render_handout

    edit(pack / "handout" / "en.yaml", "[[wolfe2016]].", "[[ wolfe2016 ]].")
    edit(pack / "handout" / "es.yaml", "[[wolfe2016]].", "[[wolfe2016 ]].")
    loaded = load_content(pack)
    consult = safe_consult()
    pdf = render_handout(
        consult, rules_module.assess(consult, loaded), loaded, Language.EN, Paper.LETTER
    )
    assert pdf.startswith(b"%PDF")


def test_an_unknown_citation_key_is_still_refused(pack: Path) -> None:
    for language in ("en", "es"):
        edit(pack / "handout" / f"{language}.yaml", "[[wolfe2016]].", "[[ nobody2020 ]].")
    assert "cites 'nobody2020'" in str(refused(pack))


# --- YAML anchors, aliases and bounds --------------------------------------------------------


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    """A few KB of YAML that stand for width ** levels strings."""
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused(pack: Path) -> None:
    bomb = billion_laughs(levels=10, width=12)
    assert len(bomb.encode()) < 1000
    rules = pack / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    # The bomb as the texts of a variant: would be 12 ** 10 strings if it were expanded.
    rules.write_text(bomb + text.replace("    variants:\n", "    variants: *l9\n", 1))
    error = refused(pack)
    assert str(error) == "rules.yaml: YAML anchors and aliases are not allowed (line 1)"


def test_a_24_kb_alias_bomb_is_refused(pack: Path) -> None:
    bomb = billion_laughs(levels=40, width=100)
    assert 20_000 < len(bomb.encode()) < 30_000
    (pack / "evidence.yaml").write_text(bomb, encoding="utf-8")
    error = refused(pack)
    assert str(error) == "evidence.yaml: YAML anchors and aliases are not allowed (line 1)"


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("name: decision-aid built-in content", "name: &n decision-aid built-in content", 3),
        ("funded_by:", "anchored: &f x\nfunded_by:", 0),
        ("conflicts:", "conflicts: *n\nx:", 0),
    ],
)
def test_any_anchor_or_alias_is_refused_naming_the_line(
    pack: Path, old: str, new: str, line: int
) -> None:
    edit(pack / "pack.yaml", old, new)
    error = refused(pack)
    assert error.file == "pack.yaml"
    assert "YAML anchors and aliases are not allowed (line " in error.problem
    if line:
        assert error.problem.endswith(f"(line {line})")


def test_a_file_nested_too_deep_is_refused(pack: Path) -> None:
    depth = MAX_YAML_DEPTH + 1
    edit(pack / "pack.yaml", "funded_by:", f"deep: {'[' * depth}{']' * depth}\nfunded_by:")
    assert "nested more than 50 levels deep" in str(refused(pack))


def test_a_file_with_too_many_entries_is_refused(pack: Path) -> None:
    entries = ", ".join(["0"] * MAX_YAML_EVENTS)
    edit(pack / "pack.yaml", "funded_by:", f"many: [{entries}]\nfunded_by:")
    assert "too large: more than 200,000 YAML events" in str(refused(pack))


def test_the_built_in_pack_is_far_within_the_yaml_bounds() -> None:
    folder = REPO / "resources"
    files = [*folder.glob("*.yaml"), *(folder / "handout").glob("*.yaml")]
    assert len(files) == 7  # course_words.yaml since schema 4
    for path in files:
        depth = deepest = events = 0
        for event in yaml.parse(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader):
            events += 1
            depth += isinstance(event, yaml.CollectionStartEvent)
            depth -= isinstance(event, yaml.CollectionEndEvent)
            deepest = max(deepest, depth)
        assert events * 20 < MAX_YAML_EVENTS, path.name
        assert deepest * 5 < MAX_YAML_DEPTH, path.name


# --- every text can be filled with what the program passes -----------------------------------


def test_every_rule_text_and_variant_of_the_built_in_pack_can_be_filled() -> None:
    """With ints and None (a number not given) for every name each text may use."""
    rulebook = content().rulebook
    for rule, spec in RULES.items():
        combinations: list[tuple[str, ...]] = [(), *((name,) for name in sorted(spec.variants))]
        combinations.append(tuple(sorted(spec.variants)))
        for variants, sample in itertools.product(combinations, (0, 7, None, "words")):
            names = spec.allowed().union(*(spec.allowed(name) for name in variants))
            values: dict[str, object] = dict.fromkeys(names, sample)
            _, _, text, _, _ = findings_module._made_finding(rulebook, rule, variants, values)
            assert "{" not in text.replace("{{", ""), rule


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consults())
def test_the_rules_give_every_name_their_texts_may_use(consult: Consult) -> None:
    """What catalogue.RULES declares is what rules.py passes, for any consult."""
    made = findings_module._made_finding

    def checked(
        rulebook: RuleBook, rule: str, variants: tuple[str, ...], values: dict[str, object]
    ) -> Any:
        spec = RULES[rule]
        assert set(values) <= spec.placeholders, rule
        shown = spec.allowed().union(*(spec.allowed(name) for name in variants))
        assert shown <= set(values), (rule, variants)
        return made(rulebook, rule, variants, values)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(findings_module, "_made_finding", checked)
        patch.setattr(findings_module, "_MADE", {})
        rules_module.assess(consult, content())


def test_a_text_that_cannot_be_filled_is_refused_at_load(
    pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trial fill at load turns any failure into a ContentError naming the text."""

    class Unprintable:
        def __format__(self, spec: str) -> str:
            raise RuntimeError("no")

    monkeypatch.setattr(content_module, "_SAMPLE_VALUES", (0, None, Unprintable()))
    error = refused(pack)
    assert error.file == "rules.yaml"
    assert "rules.stop.age.text: cannot be filled (no)" in error.problem


def test_the_criterion_words_come_from_the_pack_and_take_only_the_two_scores(
    tmp_path: Path,
) -> None:
    """The live ACR 2016 criterion 1 check of the window says what questions.yaml says, and a
    clinic's text there may use {wpi} and {sss} only."""
    from decision_aid.content import ContentError, load_content
    from tests.helpers import copy_pack

    words = content().questions.by_field["fibromyalgia.sss"].criterion
    assert words is not None
    assert words.met.format(wpi=8, sss=6) == "ACR 2016 criterion 1: met (WPI 8, SSS 6)."
    pack = tmp_path / "pack"
    copy_pack(pack)
    questions = pack / "questions.yaml"
    text = questions.read_text(encoding="utf-8")
    questions.write_text(text.replace("met (WPI {wpi}, SSS {sss})", "met ({bogus})"), "utf-8")
    with pytest.raises(ContentError, match=r"questions.yaml: .*criterion.met.*\{bogus\}"):
        load_content(pack)
