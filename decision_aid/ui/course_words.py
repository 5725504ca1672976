"""The Course step's words for the plan's and the visits' fields (docs/design.md section 13).

Kept in one place, by the schema's field names, so that the form, the table and the tests
read the same words. The thresholds they name are the ones the course assessment judges by.
"""

from __future__ import annotations

from typing import Final

NO_PLAN_LEANING: Final = (
    "The patient does not lean toward ketamine infusions (Decision step): no trial plan."
)
SPECIALIST_AGREED: Final = (
    "The specialist review the assessment asks for was done and the specialist agreed to a trial"
)
YES_NO: Final = {"unknown": "Unknown", "yes": "Yes", "no": "No"}
MEASURES: Final = {
    "pain_30": "Pain (past 7 days) 30% lower",
    "pain_50": "Pain (past 7 days) 50% lower",
    "pgic_much": "PGIC much or very much improved",
    "fiqr_drop": "FIQR total lower by this percent",
}
MEASURE_WHY: Final = {
    "pain_30": "IMMPACT: a fall of at least 30% is moderately important (dworkin2008); "
    "it matched 'much improved' on the PGIC (farrar2001).",
    "pain_50": "IMMPACT: a fall of at least 50% is substantial (dworkin2008).",
    "pgic_much": "'Much improved' and 'very much improved' marked a clinically important "
    "change (farrar2001); PGIC is recommended in fibromyalgia (boomershine2012).",
    "fiqr_drop": "No checked minimal important change exists for the FIQR; for the original "
    "FIQ one was found at 14.1% (bennett2009fiq). The percent is the clinician's choice.",
}
JUDGE_HELP: Final = (
    "The clinician's choice with the patient. No source gives this number for fibromyalgia or "
    "chronic pain. In one group of depression clinics almost half of patients did not complete "
    "6 infusions (osmind_orka2)."
)
ALWAYS_STOPS: Final = (
    "Always stops, whatever is ticked: suicide risk assessed as high; a new contraindication in "
    "the screening; the liver-injury pattern (ALT or AST 3 times the upper limit with bilirubin "
    "over 2 times)."
)
STOP_RULES: Final = {
    "bp_during": "Blood pressure: a rise of 40/25, or 180/110",
    "dissociation_severe": "Severe dissociation",
    "side_effects_not_acceptable": "Side effects not acceptable",
    "bladder_new": "New bladder symptoms",
    "liver_raised": "Liver: ALT or AST 3x, or ALP 2x",
    "misuse_signs": "Signs of misuse",
}
INFUSION: Final = {
    "given": "Infusion given",
    "stopped_early": "Infusion stopped early",
    "not_given": "No infusion (review, or withheld)",
}
PGIC: Final = {
    "very_much_improved": "Very much improved",
    "much_improved": "Much improved",
    "minimally_improved": "Minimally improved",
    "no_change": "No change",
    "minimally_worse": "Minimally worse",
    "much_worse": "Much worse",
    "very_much_worse": "Very much worse",
}
DISSOCIATION: Final = {
    "unknown": "Unknown",
    "none": "None",
    "mild": "Mild: noticed, not distressing",
    "moderate": "Moderate: distressing, settled with reassurance",
    "severe": "Severe: infusion slowed or stopped, or not settled",
}
DISSOCIATION_HELP: Final = "These grades are this program's, not a published scale's."
SIDE_EFFECTS: Final = {
    "nausea_or_vomiting": "Nausea or vomiting",
    "dizziness": "Dizziness",
    "sedation": "Sedation",
    "headache": "Headache",
    "blurred_vision": "Blurred vision",
    "anxiety": "Anxiety",
    "hallucinations_or_nightmares": "Hallucinations or nightmares",
    "breathing_problem": "Breathing slowed or oxygen saturation fell",
    "other": "Other",
}
SUICIDE_RISK: Final = {
    "unknown": "Unknown",
    "not_assessed": "Not assessed",
    "low": "Low",
    "moderate": "Moderate",
    "high": "High",
}
BLADDER: Final = {
    "frequency": "Passing urine more often",
    "urgency": "Urgency",
    "pain": "Pain passing urine, or bladder pain",
    "blood": "Blood in the urine",
}
MISUSE: Final = {
    "asks_sooner_or_more": "Asks for infusions sooner or larger than planned",
    "ketamine_elsewhere": "Uses ketamine from anywhere else",
    "other_concern": "Another sign the clinician judges to be misuse",
}
MISUSE_HELP: Final = "The clinician's judgement, not a validated tool."
LIVER_STATUS: Final = {"": "No test at this visit", "done": "Done", "pending": "Pending"}
END_REASONS: Final = {
    "plan_completed": "The plan was completed",
    "not_responding": "Not responding",
    "stop_rule": "A stop rule was met",
    "side_effects": "Side effects",
    "patient_choice": "The patient's choice",
    "other": "Another reason",
}
