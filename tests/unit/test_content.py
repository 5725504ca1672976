"""Every shipped content file loads, validates, and every citation resolves."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from decision_aid.catalogue import RULES, Level
from decision_aid.content import ContentError, builtin_pack, load_content
from tests.helpers import REPO, content

# The sources docs/design.md section 5 names for each rule.
DESIGN_SOURCES = {
    "stop.age": {"cohen2018"},
    "stop.pregnancy": {"cohen2018"},
    "stop.psychosis_active": {"cohen2018"},
    "stop.cardiovascular": {"cohen2018"},
    "stop.liver_severe": {"cohen2018"},
    "stop.intracranial_pressure": {"cohen2018"},
    "stop.intraocular_pressure": {"cohen2018"},
    "stop.substance_use_active": {"cohen2018"},
    "stop.hypersensitivity": {"ketalar_label"},
    "caution.cardiovascular": {"cohen2018"},
    "caution.liver": {"cohen2018", "noppers2011liver"},
    "caution.psychosis_history": {"cohen2018"},
    "caution.substance_use_remission": {"cohen2018"},
    "caution.pregnancy_other": {"cohen2018"},
    "caution.medications": {"cohen2018"},
    "caution.urinary": {"chan2022"},
    "urgent.self_harm": {"kroenke2001"},
    "first.diagnosis": {"wolfe2016"},
    "first.standard_care": {"macfarlane2017"},
    "info.evidence_fm": {"cohen2018", "noppers2011fm", "pastrak2021"},
    "info.crps": {"cohen2018", "sigtermans2009"},
    "info.depression_trd": {"spravato_fda"},
    "info.depression_current": {"kroenke2001"},
    "info.insurance": {"cost_sources"},
}

# The citation keys of the fact base's table (shared/clinical/evidence-facts.md).
FACT_BASE_KEYS = {
    "cohen2018", "noppers2011fm", "noppers2011liver", "pastrak2021", "sigtermans2009",
    "schwartzman2009", "graven2000", "sorensen1995", "corriger2022", "decarvalho2024",
    "macfarlane2017", "wolfe2016", "kroenke2001", "chan2022", "ketalar_label", "spravato_fda",
    "dea1999", "cost_sources",
}  # fmt: skip

# The keys of its December 2026 update (sections 13a and 13e) that the product cites.
FACT_BASE_UPDATE_KEYS = {
    "ferraro2025", "orhurhu2019", "spravato_mono2025", "spravato_label", "spravato_rems",
    "sps_esk_resp", "nct04436250", "nct07230171", "nct06916403", "nct04938713", "anand2023",
    "reif2023", "cotter2021", "kwan2025", "ketamine_usp_pi", "ketamine_intl_labels",
    "andrashko2020", "feeney2023", "anand2000", "andrade2017", "porphyria_db", "lifeline988",
    "samhsa_helpline", "payer_ketamine", "esk_codes", "cms_abn", "anzca_ps12", "isomeri2018",
    "kennedy_felson", "wolfe_rasker2021", "memantine_label", "legare2010",
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
    assert set(content().evidence.sources) >= FACT_BASE_KEYS | FACT_BASE_UPDATE_KEYS


def test_ongoing_research_cites_a_trial_that_is_going_on() -> None:
    """ESKEFIB was terminated (fact base 13c item 3): nothing may cite it as ongoing."""
    evidence = content().evidence
    ongoing = evidence.claims["research_ongoing"]
    assert "nct07230171" in ongoing.citations
    assert "eskefib2021" not in ongoing.citations
    assert "stopped early" in ongoing.text
    assert any("Terminated" in result for result in evidence.sources["nct04436250"].key_results)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_rule_cites_its_design_source(rule: str) -> None:
    assert set(content().rulebook.rules[rule].citations) == DESIGN_SOURCES[rule]


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
    assert sources["ferraro2025"].doi is None  # only the protocol's DOI is known
    assert sources["anand2000"].pmid is None
    assert sources["kennedy_felson"].doi is None
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


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    copy = tmp_path / "pack"
    shutil.copytree(REPO / "resources", copy)
    return copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("rules.yaml", "citations: [chan2022]", "citations: [nobody2020]", "cites 'nobody2020'"),
        ("rules.yaml", "  stop.age:\n", "  stop.agee:\n", "rules without a text: stop.age"),
        ("rules.yaml", "Age {age}: out", "Age {age} {name}: out", "unknown placeholder {name}"),
        ("rules.yaml", "title: Under 18", "title: Under {age}", "a title takes no"),
        (
            "rules.yaml",
            "      breastfeeding: The patient",
            "      nursing: The patient",
            "variants",
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
            "not a consult field",
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


@pytest.mark.parametrize("file", ["pack.yaml", "evidence.yaml", "rules.yaml", "questions.yaml"])
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
