"""The Help menu's documents: About, the rule catalogue and the evidence library, as rich text.

Only the program's own markup is rich text: every text that comes from the content pack goes
through ``escape``. A rule's {placeholders} are filled with readable stand-ins ("[age]"), so
the catalogue reads as the clinician will see it, with the values left open.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Final

from decision_aid.catalogue import RULES
from decision_aid.ui.markup import escape

if TYPE_CHECKING:
    from decision_aid.content import Content
    from decision_aid.ui.session import ConsultSession

# What each {name} of a rule's texts stands for (decision_aid.rules fills them).
PLACEHOLDER_WORDS: Final = {
    "age": "age",
    "total": "PHQ-9 total",
    "item9": "PHQ-9 item 9",
    "band": "PHQ-9 band",
    "months": "months",
    "wpi": "WPI",
    "sss": "SSS",
    "regions": "number of regions",
    "untried": "options not yet tried",
    "failed_classes": "classes tried without benefit",
    "unrecorded": "treatments without a recorded outcome",
    "undocumented": "items not recorded",
}

# When each variant of a rule is added to its text (decision_aid.rules decides). The variants
# of caution.medications and info.medications are named by the medicine list's own labels.
VARIANT_CONDITIONS: Final = {
    ("stop.ketamine_misuse_history", "substances"): (
        "ketamine or other dissociatives are among the substances used, whatever the status"
    ),
    ("stop.ketamine_misuse_history", "harms"): (
        "misuse is recorded as a harm of earlier ketamine treatment"
    ),
    ("check.substances_vs_status", "listed_while_none"): (
        "substances are listed while the status is none"
    ),
    ("check.substances_vs_status", "none_listed_while_use"): (
        "the status is in remission or active while no substance is listed"
    ),
    ("caution.liver", "liver"): "liver disease is mild to moderate",
    ("caution.liver", "alcohol"): "alcohol is among the substances",
    ("caution.depression_severe", "severe"): "the PHQ-9 total is 20 or more",
    ("caution.depression_severe", "trd"): (
        "depression is treatment-resistant and the PHQ-9 total is 15 to 19"
    ),
    ("caution.ketamine_past_reaction", "severe_psychiatric_reaction"): (
        "a severe psychiatric or dissociative reaction is among the harms of earlier ketamine"
    ),
    ("caution.ketamine_past_reaction", "blood_pressure_event"): (
        "a dangerous rise in blood pressure or another heart or vessel event is among the harms "
        "of earlier ketamine"
    ),
    ("caution.sleep_apnea", "with_sedatives"): (
        "a benzodiazepine, opioid, gabapentinoid or other CNS depressant is also taken"
    ),
    ("urgent.self_harm", "not_assessed"): (
        "today's suicide-risk outcome is not yet assessed or not recorded"
    ),
    ("urgent.self_harm", "low"): "today's assessment found a low suicide risk",
    ("urgent.self_harm", "moderate"): "today's assessment found a moderate suicide risk",
    ("urgent.self_harm", "high"): "today's assessment found a high suicide risk",
    ("first.diagnosis", "not_confirmed"): "the diagnosis is not recorded as confirmed",
    ("first.diagnosis", "short_duration"): "symptoms have lasted less than 3 months",
    ("first.diagnosis", "criterion_not_met"): "WPI and SSS do not meet criterion 1",
    ("first.diagnosis", "not_generalized"): "pain is in fewer than 4 of the 5 regions",
    ("first.diagnosis", "crps_regions_unknown"): (
        "CRPS is suspected or diagnosed and the painful regions are not recorded"
    ),
    ("first.standard_care", "no_exercise"): "no exercise trial has a recorded outcome",
    ("first.standard_care", "few_classes"): (
        "fewer than two medicine classes were tried without benefit"
    ),
    ("first.standard_care", "no_psychological_therapy"): (
        "depression is current or treatment-resistant and no psychological therapy has a "
        "recorded outcome"
    ),
    ("first.standard_care", "helping"): "a treatment is marked as helping",
    ("first.standard_care", "unrecorded"): "a tried treatment has no recorded outcome",
    ("info.pregnancy", "unknown"): "pregnancy is not recorded",
    ("info.pregnancy", "no"): "the patient is not pregnant and is under 60 or of unknown age",
    ("info.past_ketamine_course", "good_benefit"): (
        "the earlier course is recorded as giving good benefit"
    ),
    ("info.past_ketamine_course", "partial_benefit"): (
        "the earlier course is recorded as giving partial benefit"
    ),
    ("info.past_ketamine_course", "no_benefit"): (
        "the earlier course is recorded as giving no benefit"
    ),
    ("info.depression_current", "with_total"): "the PHQ-9 total is recorded",
    ("info.insurance", "plan_unknown"): (
        "the patient is insured and whether the plan covers infusions is not recorded"
    ),
    ("info.insurance", "plan_prior_auth"): "the plan covers infusions with prior authorization",
    ("info.insurance", "plan_does_not_cover"): "the plan does not cover infusions",
    ("info.insurance", "medicare_abn"): (
        "coverage is Medicare and the plan does not cover infusions"
    ),
    ("info.insurance", "uninsured"): "the patient is uninsured",
    ("info.insurance", "coverage_unknown"): "coverage is not recorded",
    ("info.insurance", "self_pay_no"): "the patient cannot self-pay",
    ("info.insurance", "self_pay_unsure"): "self-pay is unsure",
}

# The rules whose variants are the medicines of the medicine list, one per medicine.
_MEDICINE_RULES: Final = frozenset({"caution.medications", "info.medications"})


def program_version() -> str:
    """The installed program's version, or "(not installed)" when run from a bare checkout."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("decision-aid")
    except PackageNotFoundError:
        return "(not installed)"


def readable_text(template: str) -> str:
    """A rule text with each {name} replaced by "[words]", escaped for rich text."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(escape(literal))
        if name is not None:
            parts.append(f"<i>[{escape(PLACEHOLDER_WORDS.get(name, name))}]</i>")
    return "".join(parts)


def variant_condition(content: Content, rule_id: str, variant: str) -> str:
    """When a rule's variant applies, in words (plain text)."""
    if rule_id in _MEDICINE_RULES:
        label = content.questions.option_label("safety.medications", variant)
        return f"the medicines include {label}"
    return VARIANT_CONDITIONS.get((rule_id, variant), variant.replace("_", " "))


def _shorts(content: Content, keys: tuple[str, ...]) -> str:
    """Sources by their short names, each with its full citation as a tooltip."""
    sources = content.evidence.sources
    return "; ".join(
        f'<span title="{escape(sources[key].citation)}">{escape(sources[key].short)}</span>'
        for key in keys
    )


def about_html(session: ConsultSession) -> str:
    content = session.content
    pack = content.pack
    rulebook = content.rulebook
    order = "".join(
        f"<li><b>{escape(rulebook.statuses[status])}</b>: "
        f"{escape(rulebook.status_explanations[status])}</li>"
        for status in reversed(list(rulebook.statuses))
    )
    return (
        "<h2>decision-aid</h2>"
        f"<p><b>Program version:</b> {escape(program_version())}<br>"
        f"<b>Content version:</b> {escape(content.label)}</p>"
        "<p><b>Intended use:</b> clinical decision support during a consult about intravenous "
        "ketamine infusions for fibromyalgia: eligibility and safety questions, a live "
        "assessment with its reasons and sources, a patient handout, a note and a FHIR export."
        "</p><p><b>Intended user:</b> a licensed clinician. It is not for patients to use on "
        "their own. Its results are considerations for the clinician, never orders.</p>"
        "<p><b>Patient population:</b> adults (18 or older) with fibromyalgia who ask about IV "
        "ketamine. Out of scope: children and adolescents, emergencies, dosing and prescribing.</p>"
        f"<p><b>How the logic works:</b> the rule catalogue has {len(RULES)} rules (Help &gt; "
        "Rules); each checks answers against a published source. The status is the most "
        f"serious result:</p><ol>{order}</ol><p>Unknown answers are never read as 'none'; a "
        "required answer that is unknown makes the result incomplete. Every finding shows the "
        "rule, the answers that fired it and its sources, so the result can be checked without "
        "the program.</p>"
        f"<p><b>Content:</b> {escape(content.label)}, from {escape(content.location)}. Published "
        f"{pack.published}; last reviewed {pack.last_reviewed}; next review {pack.next_review}. "
        f"{escape(pack.review_policy)}</p><p><b>Written by:</b> {escape(pack.written_by)}. "
        f"{escape(pack.paid_by)} {escape(pack.conflicts)}</p>"
        f"<p><b>Review:</b> {escape(pack.checked_by)}</p>"
        f"<p><b>How the evidence was chosen:</b> {escape(pack.evidence_method)} Research up to "
        f"{escape(pack.research_date)}. The evidence library has "
        f"{len(content.evidence.sources)} sources: Help &gt; Evidence.</p>"
    )


def rules_html(session: ConsultSession) -> str:
    content = session.content
    sources = content.evidence.sources
    parts = [
        "<h2>Rule catalogue</h2><p>Each rule, its level, its text and its sources. A stop "
        "finding gives 'not advised'; a caution needs specialist review; 'do first' means "
        "standard care or diagnosis first; information findings do not change the status. "
        "Words in [brackets] stand for the consult's answers; an added sentence shows when "
        "its condition holds.</p>"
    ]
    for rule_id, spec in RULES.items():
        rule = content.rulebook.rules[rule_id]
        level = escape(content.rulebook.levels[spec.level])
        urgent = (
            " (urgent while today's suicide-risk outcome is not recorded, or is high)"
            if spec.urgent
            else ""
        )
        variants = "".join(
            f"<li><i>When {escape(variant_condition(content, rule_id, name))}:</i> "
            f"{readable_text(text)}"
            + (
                f" <small>(Sources: {_shorts(content, rule.variant_citations[name])})</small>"
                if rule.variant_citations.get(name)
                else ""
            )
            + "</li>"
            for name, text in rule.variants.items()
        )
        cited = list(dict.fromkeys(rule.citations))
        for keys in rule.variant_citations.values():
            cited += [key for key in keys if key not in cited]
        references = "".join(
            f"<li><b>{escape(sources[key].short)}</b>: {escape(sources[key].citation)}</li>"
            for key in cited
        )
        parts.append(
            f"<h3>{escape(rule.title)}</h3>"
            f"<p><b>{level}</b>{urgent} &middot; rule {escape(rule_id)}</p>"
            f"<p>{readable_text(rule.text)}</p>"
            + (f"<ul>{variants}</ul>" if variants else "")
            + (
                f"<p><b>Sources:</b></p><ul>{references}</ul>"
                if references
                else "<p><b>Sources:</b> none (a check of the answers themselves)</p>"
            )
        )
    return "".join(parts)


def evidence_html(session: ConsultSession) -> str:
    evidence = session.content.evidence
    parts = ["<h2>Evidence library</h2>"]
    for key, source in evidence.sources.items():
        identifier = f" {escape(source.identifier)}." if source.identifier else ""
        results = "".join(f"<li>{escape(result)}</li>" for result in source.key_results)
        unverified = "".join(f"<li>{escape(item)}</li>" for item in source.not_verified)
        size = f" N: {escape(source.n)}." if source.n else ""
        parts.append(
            f"<h3>{escape(source.short)} <small>[{escape(key)}]</small></h3>"
            f"<p>{escape(source.citation)}{identifier}</p><p>{escape(source.design)}{size} "
            f"{escape(source.population)}</p><ul>{results}</ul>"
            + (f"<p><i>Not verified:</i></p><ul>{unverified}</ul>" if unverified else "")
        )
    if evidence.claims:
        parts.append(
            "<h2>Claims</h2><p>What the program may say to a patient or clinician, how certain "
            "the evidence is, and its sources.</p>"
        )
    for claim_id, claim in evidence.claims.items():
        certainty = claim.certainty.replace("_", " ")  # "very low"
        shorts = "; ".join(
            f"{escape(evidence.sources[key].short)} [{escape(key)}]" for key in claim.citations
        )
        parts.append(
            f"<p><b>{escape(claim.text)}</b> <small>[{escape(claim_id)}]</small><br>"
            f"<i>Certainty: {escape(certainty)}.</i> Sources: {shorts}</p>"
        )
    return "".join(parts)
