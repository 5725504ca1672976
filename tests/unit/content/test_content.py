"""Every shipped content file loads, validates, and every citation resolves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from decision_aid.catalogue import RULES, Level
from decision_aid.content import ContentError, builtin_pack, load_content
from tests.helpers import REPO, content, edit

# The sources docs/design.md section 5 names for each rule: the rule's own citations and those
# of its variants together (a variant with a source of its own cites it, so that a finding
# cites only what its sentences rest on).
DESIGN_SOURCES: dict[str, set[str]] = {
    "stop.age": {"cohen2018"},
    "stop.pregnancy": {"cohen2018"},
    "stop.psychosis_active": {"cohen2018"},
    "stop.psychotic_disorder": {"spravato_label", "ketamine_de_labels", "nct07230171", "cohen2018"},
    "stop.cardiovascular": {"cohen2018", "ketalar_label"},
    "stop.recent_heart_or_stroke_event": {
        "ketamine_intl_labels", "ketamine_de_labels", "spravato_eu",
    },
    "stop.vascular_hazard": {"ketalar_label", "spravato_label"},
    "stop.liver_severe": {"cohen2018"},
    "stop.intracranial_pressure": {"cohen2018"},
    "stop.intraocular_pressure": {"cohen2018", "nct07230171"},
    "stop.hyperthyroidism": {"ketamine_intl_labels", "ketamine_de_labels", "nct07230171"},
    "stop.porphyria": {"porphyria_db"},
    "stop.substance_use_active": {"cohen2018", "dea1999"},
    "stop.ketamine_misuse_history": {
        "ketamine_usp_pi", "spravato_label", "cohen2018", "nct07230171",
    },
    "stop.ketamine_liver_injury": {
        "noppers2011liver", "aapract2020", "cotter2021", "livertox_ketamine",
    },
    "stop.ketamine_bladder_injury": {"chan2022", "anderson2022"},
    "stop.suicide_risk_high": {"icsi_depression", "kroenke2001"},
    "stop.hypersensitivity": {"ketalar_label"},
    "check.substances_vs_status": set(),
    "check.phq9_vs_depression": {"kroenke2001"},
    "check.age_vs_pregnancy": set(),
    "check.ketamine_harms_vs_exposure": set(),
    "caution.cardiovascular": {"cohen2018"},
    "caution.earlier_heart_or_stroke_event": {
        "ketamine_intl_labels", "spravato_cv_exclusions", "cohen2018",
    },
    "caution.older_age": {
        "nct04436250", "spravato_label", "spravato_eu", "avidan2017", "cohen2018",
    },
    "caution.liver": {"cohen2018", "noppers2011liver"},
    "caution.psychosis_history": {"spravato_label", "ketamine_de_labels", "cohen2018"},
    "caution.bipolar": {"nct07230171"},
    "caution.dissociative_disorder": {"spravato_label", "ketamine_de_labels"},
    "caution.depression_severe": {"kroenke2001", "icsi_depression", "sanacora2017"},
    "caution.substance_use_remission": {"cohen2018"},
    "caution.esketamine_now": {"spravato_rems", "spravato_label"},
    "caution.other_ketamine_now": {"fda_ketamine_2023"},
    "caution.ketamine_past_reaction": {"spravato_label", "ketalar_label"},
    "caution.breastfeeding": {"spravato_label", "ketamine_intl_labels"},
    "caution.pregnancy_planning": {"cohen2018", "spravato_label"},
    "caution.medications": {
        "spravato_label", "andrashko2020", "feeney2023", "andrade2017",
        "fda_gabapentinoids2019", "ketamine_intl_labels", "ketamine_de_labels",
        "memantine_labels", "auvelity_label", "hagelberg2010", "peltoniemi2011", "sjw_ketamine",
    },
    "caution.urinary": {"chan2022"},
    "caution.controlled_glaucoma": {"cohen2018", "ketamine_de_labels", "spravato_cv_exclusions"},
    "caution.sleep_apnea": {"spravato_rems", "nct07230171", "fda_gabapentinoids2019"},
    "urgent.self_harm": {"kroenke2001", "icsi_depression"},
    "first.diagnosis": {"wolfe2016"},
    "first.standard_care": {"macfarlane2017"},
    "info.criteria_not_documented": {"wolfe2016"},
    "info.evidence_fm": {"cohen2018", "noppers2011fm", "pastrak2021", "ferraro2025"},
    "info.liver_monitoring": {
        "cohen2018", "noppers2011liver", "cotter2021", "kwan2025", "livertox_ketamine",
    },
    "info.medications": {"ketamine_intl_labels", "anand2000", "andrade2017"},
    "info.pregnancy": {"cohen2018", "spravato_label"},
    "info.past_ketamine_course": {"nct07230171"},
    "info.crps": {"cohen2018", "sigtermans2009", "zhu2024"},
    "info.depression_trd": {"spravato_fda", "spravato_mono2025", "esk_codes", "jelovac2025"},
    "info.depression_current": {"kroenke2001"},
    "info.insurance": {"cost_sources", "cms_abn"},
}  # fmt: skip

# What each medicine's sentence rests on (at least these sources; docs/design.md section 5).
MEDICATION_SOURCES: dict[str, set[str]] = {
    "benzodiazepine": {"spravato_label", "andrashko2020", "feeney2023"},
    "opioid": {"spravato_label"},
    "gabapentinoid": {"spravato_label", "fda_gabapentinoids2019"},
    "other_cns_depressant": {"spravato_label"},
    "theophylline": {"ketamine_intl_labels", "ketamine_de_labels"},
    "stimulant": {"spravato_label"},
    "maoi": {"spravato_label"},
    "memantine_or_dextromethorphan": {"memantine_labels"},
    "bupropion": {"auvelity_label"},
    "cyp_inhibitor_or_inducer": {"andrade2017", "hagelberg2010", "peltoniemi2011", "sjw_ketamine"},
}

# The medicines that change no status (info.medications), each with its own sources.
INFO_MEDICATION_SOURCES: dict[str, set[str]] = {
    "thyroid_hormone": {"ketamine_intl_labels"},
    "lamotrigine": {"anand2000", "andrade2017"},
}

# The citation keys of the fact base's table (shared/clinical/evidence-facts.md).
FACT_BASE_KEYS = {
    "cohen2018", "noppers2011fm", "noppers2011liver", "pastrak2021", "sigtermans2009",
    "schwartzman2009", "graven2000", "sorensen1995", "corriger2022", "decarvalho2024",
    "macfarlane2017", "wolfe2016", "kroenke2001", "chan2022", "ketalar_label", "spravato_fda",
    "dea1999", "cost_sources",
}  # fmt: skip


def test_the_builtin_pack_loads() -> None:
    loaded = load_content()
    assert loaded.pack.next_review > loaded.pack.last_reviewed
    assert set(loaded.rulebook.rules) == set(RULES)


def test_every_citation_key_resolves() -> None:
    sources = content().evidence.sources
    for place, keys in content().citation_keys_used().items():
        for key in keys:
            assert key in sources, f"{place} cites {key}"


def test_every_source_of_the_fact_base_is_in_the_library() -> None:
    assert set(content().evidence.sources) >= FACT_BASE_KEYS


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_rule_cites_its_design_source(rule: str) -> None:
    entry = content().rulebook.rules[rule]
    assert set(entry.citations).union(*entry.variant_citations.values()) == DESIGN_SOURCES[rule]


def test_every_rule_of_the_catalogue_has_its_design_sources() -> None:
    assert set(DESIGN_SOURCES) == set(RULES)


@pytest.mark.parametrize("medication", sorted(MEDICATION_SOURCES))
def test_each_medicine_sentence_cites_its_own_design_sources(medication: str) -> None:
    entry = content().rulebook.rules["caution.medications"]
    assert set(entry.variant_citations) == set(MEDICATION_SOURCES)
    assert MEDICATION_SOURCES[medication] <= set(entry.variant_citations[medication])


@pytest.mark.parametrize("medication", sorted(INFO_MEDICATION_SOURCES))
def test_each_information_medicine_cites_its_own_design_sources(medication: str) -> None:
    entry = content().rulebook.rules["info.medications"]
    assert set(entry.variant_citations) == set(INFO_MEDICATION_SOURCES)
    assert INFO_MEDICATION_SOURCES[medication] <= set(entry.variant_citations[medication])


def test_the_withdrawn_memantine_source_is_cited_nowhere() -> None:
    """evidence-facts.md 14c.1: memantine_label was written from memory and is withdrawn."""
    assert "memantine_label" not in content().evidence.sources
    for place, keys in content().citation_keys_used().items():
        assert "memantine_label" not in keys, place


# A sentence ends as the note's key sentence ends it (decision_aid.note).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'])")


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_first_sentence_stands_alone(rule: str) -> None:
    """The note keeps only a finding's first sentence when it shortens (design section 5):
    it ends with a full stop, after more than a label, and no abbreviation cuts it short."""
    text = " ".join(content().rulebook.rules[rule].text.split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    assert first.endswith((".", ")")), first
    assert len(first.split()) >= 5, first
    for abbreviation in ("e.g.", "i.e.", "Dr.", "vs.", "etc."):
        assert abbreviation not in first, first


def test_the_self_harm_text_never_says_assess_once_an_outcome_is_recorded() -> None:
    """Only the not_assessed sentence asks for an assessment; the recorded outcomes speak of
    today's assessment, and the main text speaks of none (design section 5)."""
    entry = content().rulebook.rules["urgent.self_harm"]
    assert "assess" not in entry.text.lower()
    assert "assess suicide risk today" in entry.variants["not_assessed"].lower()
    for outcome in ("low", "moderate", "high"):
        assert "assess " not in entry.variants[outcome].lower(), outcome
        assert outcome in entry.variants[outcome], outcome


def test_no_insurance_sentence_for_the_uninsured_speaks_of_a_plan() -> None:
    """An uninsured patient, and a plan recorded as not covering, are never told to check a
    plan's policy (design section 5)."""
    entry = content().rulebook.rules["info.insurance"]
    uninsured = f"{entry.text} {entry.variants['uninsured']}".lower()
    for word in ("plan", "polic", "call"):
        assert word not in uninsured, word
    assert "whole cost" in uninsured
    assert "policy" not in entry.variants["plan_does_not_cover"].lower()
    assert "check" not in entry.variants["plan_does_not_cover"].lower()


def test_only_check_rules_may_cite_nothing() -> None:
    for rule_id, spec in RULES.items():
        if spec.level is not Level.CHECK:
            assert content().rulebook.rules[rule_id].citations, rule_id


def test_every_stop_and_caution_rule_has_a_source() -> None:
    for rule_id, spec in RULES.items():
        if spec.level in (Level.STOP, Level.CAUTION):
            assert content().rulebook.rules[rule_id].citations


def test_unverified_identifiers_are_not_stated() -> None:
    """The fact base tags these identifiers [U] or [P]; they must not appear as facts."""
    sources = content().evidence.sources
    assert sources["cohen2018"].pmid is None  # 29870458 is unverified
    assert sources["noppers2011fm"].pmid is None
    assert sources["noppers2011fm"].doi is None
    assert sources["schwartzman2009"].n is None
    assert sources["schwartzman2009"].pmid is None
    assert sources["decarvalho2024"].pmid is None
    evidence_text = (REPO / "resources" / "evidence.yaml").read_text(encoding="utf-8")
    for unverified in ("29870458", "21482474", "19783370", "28249076", "9263160"):
        assert unverified not in evidence_text


def test_identifiers_have_the_right_shape() -> None:
    for key, source in content().evidence.sources.items():
        if source.doi:
            assert re.fullmatch(r"10\.\d{4,9}/\S+", source.doi), key
        if source.pmid:
            assert source.pmid.isdigit(), key


def test_figures_convert_to_whole_numbers_out_of_100() -> None:
    figures = content().evidence.figures
    relief = figures["fm_relief_15min"]
    assert [arm.per_100() for arm in relief.arms] == [67, 25]
    assert [arm.counted() for arm in relief.arms] == ["8 of 12", "3 of 12"]
    assert [arm.per_100() for arm in figures["fm_relief_week8"].arms] == [17, 17]
    assert [arm.per_100() for arm in figures["crps_dreamlike"].arms] == [76, 18]


def test_the_pack_is_found_in_the_checkout() -> None:
    assert (Path(str(builtin_pack())) / "pack.yaml").is_file()


# --- broken packs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("rules.yaml", "citations: [chan2022]", "citations: [nobody2020]", "cites 'nobody2020'"),
        ("rules.yaml", "  stop.age:\n", "  stop.agee:\n", "rules without a text: stop.age"),
        ("rules.yaml", "Age {age}: out", "Age {age} {name}: out", "unknown placeholder {name}"),
        ("rules.yaml", "title: Under 18", "title: Under {age}", "a title takes no"),
        (
            "rules.yaml",
            "      alcohol: Alcohol is among",
            "      drink: Alcohol is among",
            "rule caution.liver: variants must be exactly alcohol, liver",
        ),
        (
            "rules.yaml",
            "      memantine_or_dextromethorphan: [memantine_labels]",
            "      memantine: [memantine_labels]",
            "variant_citations for no variant: memantine",
        ),
        (
            "rules.yaml",
            "      theophylline: [ketamine_intl_labels, ketamine_de_labels]",
            "      theophylline: [nobody2020]",
            "cites 'nobody2020'",
        ),
        (
            "rules.yaml",
            "    citations: [porphyria_db]\n",
            "",
            "rule stop.porphyria: cites no source",
        ),
        ("rules.yaml", "levels:\n", "levels: [\n", "invalid YAML at line"),
        ("evidence.yaml", "    kind: guideline\n", "    kind: blog\n", "kind"),
        ("evidence.yaml", 'pmid: "34984054"', 'pmid: "PMID-1"', "pmid"),
        ("evidence.yaml", "    certainty: high\n", "    certainty: sure\n", "certainty"),
        (
            "evidence.yaml",
            "      - {label: ketamine, events: 8, total: 12}",
            "      - {label: ketamine, events: 13, total: 12}",
            "events cannot exceed total",
        ),
        (
            "pack.yaml",
            "next_review: 2027-12-01",
            "next_review: 2020-01-01",
            "next_review must come after",
        ),
        ("pack.yaml", "name: ", "nam: ", "pack.yaml"),
        ("questions.yaml", "          severe: Severe\n", "", "options must be exactly"),
        (
            "questions.yaml",
            "      - field: safety.liver",
            "      - field: safety.kidney",
            "'safety.kidney' is not a consult answer",
        ),
        (
            "questions.yaml",
            "          history: Bipolar disorder or past mania\n",
            "",
            "safety.bipolar: options must be exactly none, history, unknown",
        ),
        (
            "questions.yaml",
            "          helping: Helping\n          unknown: Not recorded\n\n",
            "          helping: Helping\n\n",
            "prior_treatments: outcome_options must be",
        ),
        (
            "questions.yaml",
            "        list_states:\n          not_reviewed: Not reviewed\n"
            "          none: None of these\n",
            "",
            "safety.medications: list_states",
        ),
        # The course's words name every field of the plan and a visit, and every value.
        (
            "course_words.yaml",
            "  visit.pgic: Change since the course began (PGIC)\n",
            "",
            "no label for visit.pgic",
        ),
        (
            "course_words.yaml",
            "  visit.dose_mg: Ketamine given (mg), recorded only\n",
            "  visit.dose_mg: Ketamine given (mg), recorded only\n  visit.date: Date\n",
            "not a field: visit.date",
        ),
        (
            "course_words.yaml",
            "    much_worse: much worse\n",
            "",
            "values.visit.pgic: must be exactly very_much_improved",
        ),
        (
            "course_words.yaml",
            "  liver: liver tests before infusion 1 and every {every}\n",
            "  liver: liver tests on {date}\n",
            "note.liver: unknown placeholder {date}",
        ),
        # The Course step's own words: their sources are the evidence library's, and they
        # name the program's measures, stop rules and table columns, no more and no fewer.
        (
            "course_words.yaml",
            "    citations: [osmind_orka2]\n",
            "    citations: [orka_2030]\n",
            "window cites 'orka_2030', which is not a source in evidence.yaml",
        ),
        (
            "course_words.yaml",
            "    misuse_signs: Signs of misuse\n",
            "",
            "window.stop_rules: must be exactly bp_during",
        ),
        (
            "course_words.yaml",
            "    item9: Item 9 and outcome\n",
            "",
            "window.columns: must be exactly infusion",
        ),
        (
            "course_words.yaml",
            "  fiqr_drop_chosen: FIQR total lower by {percent}%\n",
            "  fiqr_drop_chosen: FIQR total lower by {percentage}%\n",
            "window.fiqr_drop_chosen: unknown placeholder {percentage}",
        ),
    ],
)
def test_a_broken_pack_is_refused_naming_the_file(
    pack: Path, file: str, old: str, new: str, message: str
) -> None:
    edit(pack / file, old, new)
    with pytest.raises(ContentError) as caught:
        load_content(pack)
    assert caught.value.file == file
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "file", ["pack.yaml", "evidence.yaml", "rules.yaml", "questions.yaml", "course_words.yaml"]
)
def test_a_missing_file_is_named(pack: Path, file: str) -> None:
    (pack / file).unlink()
    with pytest.raises(ContentError, match=f"^{file}: missing from the content pack"):
        load_content(pack)


def test_a_non_utf8_file_is_named(pack: Path) -> None:
    (pack / "rules.yaml").write_bytes(b"\xff\xfe\x00 rules")
    with pytest.raises(ContentError, match="^rules.yaml: is not UTF-8 text"):
        load_content(pack)


def test_an_edited_pack_changes_the_rule_text(pack: Path) -> None:
    from decision_aid.rules import assess
    from tests.helpers import safe_consult

    edit(pack / "rules.yaml", "Grade D (weak or no evidence)", "Grade D per our clinic review")
    finding = assess(safe_consult(), load_content(pack)).fired("info.evidence_fm")
    assert finding is not None
    assert "per our clinic review" in finding.text
