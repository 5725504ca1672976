"""``decision-aid --check-install``: whether the program can do its work on this machine with
this content pack (docs/design.md sections 9 and 12).

Each check does the real work once (loads the pack, assesses, writes a note, lays out the
handouts, builds the FHIR export, opens the window) and reports one line; a failing check
names what is broken. The command line prints the lines and maps the result to its exit
status; this module decides nothing about exit codes.
"""

from __future__ import annotations

import re
from functools import partial
from typing import TYPE_CHECKING, Final

from decision_aid.consult import escape_unprintable
from decision_aid.content import PACK_FILE, handout_file, load_content, pack_directory

if TYPE_CHECKING:
    from collections.abc import Callable

    from decision_aid.consult import Consult, Language
    from decision_aid.content import Content


def check_install(content_option: str | None, report: Callable[[str], None]) -> bool:
    """Checks that the program can do its work here; reports one line per check.

    Args:
        content_option: the folder given to ``--content``, if any; the pack checked is the one
            the program would use with it (see :func:`decision_aid.content.pack_directory`).
        report: called with each line, in order, as soon as its check is done.

    Returns:
        True when every check passed; the failing checks' lines name what is broken.
    """
    folder = pack_directory(option=content_option)
    results: list[bool] = []

    def check(name: str, action: Callable[[], str]) -> None:
        try:
            detail = action()
        except Exception as error:  # a check reports any failure, never raises
            report(f"FAIL {name}: {error}")
            results.append(False)
        else:
            report(f"ok   {name}: {detail}")
            results.append(True)

    loaded: list[Content] = []

    def content_pack() -> str:
        from decision_aid import clock

        content = load_content(folder)
        loaded.append(content)
        pack = content.pack
        overdue = " - OVERDUE FOR REVIEW" if pack.is_overdue(clock.today()) else ""
        return (
            f"{content.label} from {content.location}; reviewed {pack.last_reviewed}, "
            f"next review {pack.next_review}{overdue}; {len(content.evidence.sources)} sources, "
            f"{len(content.evidence.claims)} claims, {len(content.rulebook.rules)} rules"
        )

    check("content pack", content_pack)
    if loaded:
        content = loaded[0]
        check("about", lambda: _check_about(content))
        check("assessment", lambda: _check_assessment(content))
        check("clinician note", lambda: _check_note(content))
        check("handout", lambda: _check_handout(content))
        check("FHIR export", lambda: _check_fhir(content))
        check("window", lambda: _check_window(content))
    if not all(results):
        report(
            f"decision-aid is not ready: {results.count(False)} of {len(results)} checks failed."
        )
        return False
    report("decision-aid is ready.")
    return True


# What the handout's "About" block says about the content (IPDAS C6, D1): who wrote it, who
# paid for it (or that no one did) and who checked it (or that no one has), each a pack.yaml
# field (docs/design.md 6.8).
ABOUT_FIELDS: Final = ("authors", "funded_by", "reviewers")


def _check_about(content: Content) -> str:
    # reviewers may be empty: the handout then says that no one has checked it yet.
    empty = [name for name in ABOUT_FIELDS[:2] if not getattr(content.pack, name)]
    if empty:
        raise RuntimeError(
            f"{PACK_FILE}: {', '.join(empty)} is empty: the handout must say who wrote the "
            "content and who paid for it"
        )
    # The loader held every language's pack_texts to pack.yaml (the first language's words,
    # the others' by the pack.yaml words they translate), or the pack would not have loaded.
    languages = ", ".join(language.value for language in content.languages)
    return (
        f"who wrote, paid for and checked the content is stated ({', '.join(ABOUT_FIELDS)}), "
        f"in pack.yaml's words in every language ({languages})"
    )


def _check_assessment(content: Content) -> str:
    from decision_aid.consult import Consult
    from decision_aid.rules import assess

    status = assess(Consult(), content).status
    return f"an empty consult is {status.value}, as it must be"


def _check_note(content: Content) -> str:
    from decision_aid.note import MAX_CHARACTERS, clinician_note
    from decision_aid.rules import assess

    lengths = []
    for consult in _sample_consults():
        lengths.append(len(clinician_note(consult, assess(consult, content), content)))
    longest = max(lengths)
    if longest > MAX_CHARACTERS:
        raise RuntimeError(
            f"a note of {longest:,} characters, over the limit of {MAX_CHARACTERS:,}: the "
            "pack's texts or labels are too long for the note to shorten"
        )
    return (
        f"at most {longest:,} characters over {len(lengths)} sample consults "
        f"(limit {MAX_CHARACTERS:,})"
    )


def _sample_consults() -> list[Consult]:
    """An empty consult and one that fires many rules at once: the note's hardest cases."""
    from decision_aid.consult import Consult

    busy = Consult.model_validate(
        {
            "patient": {"age_years": 16, "weight_kg": 300, "pregnancy": "pregnant"},
            "comorbidities": {
                "depression": "treatment_resistant",
                "phq9_total": 27,
                "phq9_item9": 3,
                "crps": "diagnosed",
            },
            "safety": {
                "cardiovascular": "poorly_controlled",
                "vascular_hazard": "present",
                "liver": "severe",
                "psychosis": "active",
                "bipolar": "history",
                "intracranial_pressure": "raised",
                "intraocular_pressure": "raised",
                "urinary_symptoms": "present",
                "hyperthyroidism": "present",
                "sleep_apnea": "present",
                "porphyria": "present",
                "ketamine_hypersensitivity": "yes",
                "medications": ["benzodiazepine", "opioid", "theophylline", "maoi"],
            },
            "substance_use": {
                "status": "none",
                "substances": ["alcohol", "ketamine_or_dissociatives"],
            },
            "prior_treatments": [{"therapy": "exercise"}, {"therapy": "duloxetine"}],
        }
    )
    return [Consult(), busy]


def _check_handout(content: Content) -> str:
    from decision_aid.handout import Paper, count_pages, render_handout
    from decision_aid.handout._pdf import DESIGN_LARGE_PAGES, DESIGN_PAGES
    from decision_aid.rules import assess

    # Both sample consults, so that the tailored sections' texts are filled too; in each
    # language the pack offers.
    languages = list(content.languages)
    sizes = [0 for _ in languages]
    for consult in _sample_consults():
        assessment = assess(consult, content)
        for index, language in enumerate(languages):
            render = partial(render_handout, consult, assessment, content, language, Paper.LETTER)
            pdf = _laid_out(language, render)
            sizes[index] = max(sizes[index], len(pdf))
    # The page limits hold for the pack's texts: its longest consult fits them in every
    # language, paper and size, or the pack is not ready (docs/design.md section 6).
    longest = _longest_handout_consult()
    assessment = assess(longest, content)
    over: list[tuple[Language, str]] = []
    most = {False: 0, True: 0}
    for language in languages:
        for paper in Paper:
            for large_print in (False, True):
                count = _laid_out(
                    language,
                    partial(
                        count_pages,
                        longest,
                        assessment,
                        content,
                        language,
                        paper,
                        large_print=large_print,
                    ),
                )
                most[large_print] = max(most[large_print], count.pages)
                if not count.fits:
                    size = " in large print" if large_print else ""
                    where = f"{language.value} on {paper.value}{size}"
                    over.append((language, f"{count.pages} pages in {where} (limit {count.limit})"))
    if over:
        needs = "; ".join(words for _, words in over)
        files = " and ".join(sorted({handout_file(language) for language, _ in over}))
        raise RuntimeError(f"the longest consult's handout needs {needs}: shorten {files}")
    rendered = ", ".join(
        f"{language.value} ({size:,} bytes)"
        for language, size in zip(languages, sizes, strict=True)
    )
    met = most[False] <= DESIGN_PAGES and most[True] <= DESIGN_LARGE_PAGES
    return (
        f"rendered in memory in {rendered}; the longest consult takes {most[False]} pages "
        f"({most[True]} in large print; the design's budget is {DESIGN_PAGES} and "
        f"{DESIGN_LARGE_PAGES}{'' if met else ', not yet met'})"
    )


def _laid_out[T](language: Language, action: Callable[[], T]) -> T:
    """``action()``, a handout laid out in ``language``; a layout that cannot be done is a
    one-line failure naming the file to shorten."""
    try:
        return action()
    except Exception as error:
        problem = layout_problem(error, language)
        if problem is None:
            raise
        raise RuntimeError(problem) from None


def layout_problem(error: BaseException, language: Language) -> str | None:
    """What the handout's layout engine could not do, as one line naming the pack file to
    shorten, when ``error`` is reportlab's ``LayoutError`` (a text too long for any page, such
    as a picture's time point or group name, which cannot be split); else None.

    By name, not by class: only decision_aid.handout imports reportlab (docs/design.md
    section 3).
    """
    if not any(
        kind.__name__ == "LayoutError" and kind.__module__.startswith("reportlab")
        for kind in type(error).__mro__
    ):
        return None
    # reportlab's message quotes the start of the text: '<Paragraph at 0x...>After 8 weeks ...'
    quoted = re.search(r"<Paragraph at [^>]*>([^']{1,40})", str(error))
    text = f" (the text starting {escape_unprintable(quoted.group(1)).strip()!r})" if quoted else ""
    return (
        f"{handout_file(language)}: a text of the handout is too long to fit on one page"
        f"{text}; shorten it"
    )


def _longest_handout_consult() -> Consult:
    """The consult with every tailored part of the handout at once: the status line (answers
    still unknown), the call script (not advised against), every standard option untried, the
    CRPS section, Medicare with prior authorisation, unable to pay, every priority."""
    from decision_aid.consult import Consult, Priority

    return Consult.model_validate(
        {
            "comorbidities": {"crps": "diagnosed"},
            "insurance": {
                "coverage": "medicare",
                "covers_ketamine_for_pain": "yes_prior_auth",
                "can_self_pay": "no",
            },
            "priorities": [priority.value for priority in Priority],
        }
    )


def _check_fhir(content: Content) -> str:
    from decision_aid import fhir
    from decision_aid.consult import Consult

    fhir.questionnaire_response(Consult(), content)
    # The visit Questionnaire is built from the course words of the pack (course_words.yaml).
    visit = fhir.visit_questionnaire(content)
    return (
        f"Questionnaire with {len(fhir.questionnaire(content)['item'])} groups, "
        f"visit Questionnaire with {len(visit['item'])} items"
    )


def _check_window(content: Content) -> str:
    import importlib

    try:
        window_module = importlib.import_module("decision_aid.ui.app")
    except ImportError as error:
        raise RuntimeError(f"the window cannot load: {error}") from None
    check_window: Callable[[Content], str] = window_module.check_window
    return check_window(content)
