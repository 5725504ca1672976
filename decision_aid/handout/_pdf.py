"""The handout as a story: its sections in page order, laid out on pages by :func:`render`.

Imported lazily by :func:`decision_aid.handout.render_handout`. Every string comes from the
language's handout texts and every number from the evidence library; the handout package
decides only what goes where. reportlab is imported by this module and the ones it uses:
``style`` (fonts, sizes, styles), ``markup`` (escaping, citation numbers), ``grid`` (the
tables), ``pictures`` (icon arrays) and ``page`` (the footer and the document).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer

from decision_aid.handout.grid import boxed, check_grid, fill_in_lines, options_table, two_columns
from decision_aid.handout.markup import Citations, escape
from decision_aid.handout.page import PAGE_SIZES, Footer, lay_out, text_width
from decision_aid.handout.pictures import figure_block
from decision_aid.handout.style import BODY_SIZE, SPACINGS, Spacing, Styles, fonts
from decision_aid.handout.tailoring import (
    Section,
    stop_rules,
    tailored_sections,
    untried_standard_options,
)

if TYPE_CHECKING:
    import datetime

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Table

    from decision_aid.consult import Consult, Language, Paper
    from decision_aid.content import Content
    from decision_aid.handout import ClinicDetails
    from decision_aid.handout_text import Bullets, HandoutText, Prose
    from decision_aid.rules import Assessment

# BODY_SIZE and Styles are the handout's own measures, which the tests read from here.
__all__ = ["BODY_SIZE", "MAX_PAGES", "Styles", "render"]

MAX_PAGES: Final = 4

# The options table starts on a page only when at least this much of it fits there.
OPTIONS_MIN_START: Final = 3.5 * inch


class _Builder:
    """Builds the story (the list of flowables) of one handout."""

    def __init__(
        self,
        consult: Consult,
        assessment: Assessment,
        content: Content,
        lang: Language,
        width: float,
        clinic: ClinicDetails,
        overdue: bool,
        styles: Styles,
    ) -> None:
        self.consult = consult
        self.assessment = assessment
        self.content = content
        self.text: HandoutText = content.handout[lang]
        self.width = width
        self.clinic = clinic
        self.overdue = overdue
        self.styles = styles
        self.cite = Citations(content)
        self.story: list[Flowable] = []

    # -- small pieces ---------------------------------------------------------------------

    def para(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(self.cite.markup(text), style or self.styles.body)

    def heading(self, text: str) -> Paragraph:
        return Paragraph(escape(text), self.styles.heading)

    def bullets(self, items: tuple[str, ...]) -> list[Flowable]:
        return [
            Paragraph(self.cite.markup(item), self.styles.bullet, bulletText="•") for item in items
        ]

    # -- the sections, in page order ------------------------------------------------------

    def build(self) -> list[Flowable]:
        self.top()
        self.summary()
        self.condition()
        self.bulleted(self.text.infusion)
        # Side effects before the options: they describe the infusion, and they fill the end
        # of page 1, where the options table would not start (see options()).
        self.bulleted(self.text.harms)
        self.options()
        self.results()
        self.cost()
        self.tailored()
        self.matters()
        self.questions()
        self.about()
        return self.story

    def top(self) -> None:
        text, styles = self.text, self.styles
        self.story.append(Paragraph(escape(text.title), styles.title))
        decision = [Paragraph(escape(text.decision), styles.decision)]
        self.story.append(boxed(decision, self.width, styles))
        self.story.append(Spacer(1, 6))
        self.story.append(self.para(text.intro))
        if self.overdue:
            notice = text.overdue.long.format(date=self.content.pack.next_review.isoformat())
            notice_box = [self.para(f"**{notice}**")]
            self.story.append(boxed(notice_box, self.width, styles, shade=False, weight=2.5))
            self.story.append(Spacer(1, 4))
        self.story.append(self.fill_in())
        self.story.append(Spacer(1, 8))
        experimental = [Paragraph(escape(text.experimental.title), styles.subheading)]
        experimental += self.bullets(text.experimental.items)
        self.story.append(boxed(experimental, self.width, styles, shade=True, weight=2))

    def fill_in(self) -> Table:
        labels = self.text.fill_in
        values = (
            (labels.clinic, self.clinic.name),
            (labels.clinician, self.clinic.clinician),
            (labels.contact, self.clinic.contact),
            # The program never prints the patient's name: this line is for writing it in.
            (labels.your_name, ""),
        )
        return fill_in_lines(values, self.width, self.styles)

    def summary(self) -> None:
        summary = self.text.summary
        self.story.append(self.heading(summary.title))
        self.story.extend(self.bullets(summary.items))

    def prose(self, section: Prose, *, minor: bool = False) -> None:
        style = self.styles.subheading if minor else self.styles.heading
        self.story.append(Paragraph(escape(section.title), style))
        self.story.extend(self.para(paragraph) for paragraph in section.paragraphs)

    def condition(self) -> None:
        self.prose(self.text.condition)

    def options(self) -> None:
        options = self.text.options
        untried = untried_standard_options(self.consult)
        standard = options.standard
        if untried:
            names = ", ".join(options.standard_names[key] for key in untried)
            standard_what = standard.what.format(names=names)
        else:
            standard_what = options.standard_none
        table = options_table(options, standard_what, self.width, self.styles, self.cite)
        block = [self.heading(options.title), self.para(options.intro), table]
        # Whole on the next page when this one has little room left. Otherwise it starts here
        # and goes on overleaf between rows, its header row repeated: every row still
        # compares the four options side by side, and no page is left half empty.
        height = sum(
            flowable.wrap(self.width, 10_000)[1] + flowable.getSpaceBefore() for flowable in block
        )
        self.story.append(CondPageBreak(min(height, OPTIONS_MIN_START)))
        self.story.extend(block)

    def results(self) -> None:
        results = self.text.results
        blocks = [
            figure_block(
                self.content.evidence.figures[figure_id],
                words,
                results,
                self.cite,
                self.styles,
                self.width,
            )
            for figure_id, words in results.figures.items()
        ]
        # The heading and its explanation of the pictures go with the first picture: never
        # alone at the foot of a page.
        blocks[0] = [self.heading(results.title), self.para(results.intro), *blocks[0]]
        self.story.extend(KeepTogether(block) for block in blocks)
        self.story.append(self.para(results.uncertainty))

    def bulleted(self, section: Bullets) -> None:
        self.story.append(self.heading(section.title))
        self.story.extend(self.bullets(section.items))

    def cost(self) -> None:
        cost = self.text.cost
        insurance = self.consult.insurance
        self.story.append(self.heading(cost.title))
        self.story.append(self.para(cost.general))
        lines = [cost.coverage[insurance.coverage]]
        if insurance.covers_ketamine_for_pain.value == "yes_prior_auth":
            lines.append(cost.prior_auth)
        self.story.append(self.para(" ".join(lines)))

    def tailored(self) -> None:
        tailored = self.text.tailored
        for section in tailored_sections(self.consult, self.assessment):
            if section is Section.NOT_ADVISED:
                not_advised = tailored.not_advised
                self.story.append(Paragraph(escape(not_advised.title), self.styles.subheading))
                self.story.append(self.para(not_advised.intro))
                reasons = tuple(not_advised.reasons[rule] for rule in stop_rules(self.assessment))
                self.story.extend(self.bullets(reasons))
            else:
                # Sub-headings: these sections belong to the cost-and-safety part of the page.
                self.prose(getattr(tailored, section.value), minor=True)

    def matters(self) -> None:
        matters = self.text.matters
        chosen = set(self.consult.priorities)
        boxes = [
            Paragraph(
                escape(label),
                self.styles.check,
                bulletText="\u2611" if priority in chosen else "\u2610",
            )
            for priority, label in matters.priorities.items()
        ]
        grid = check_grid(boxes, self.width, self.styles)
        self.story.append(
            KeepTogether([self.heading(matters.title), self.para(matters.intro), grid])
        )

    def questions(self) -> None:
        questions, teach_back = self.text.questions, self.text.teach_back
        block: list[Flowable] = [self.heading(questions.title), *self.bullets(questions.items)]
        block.append(self.para(f"**{teach_back.title}:** {teach_back.text}"))
        self.story.append(KeepTogether(block))

    def about(self) -> None:
        """Who made the handout, its funding, version and review, and how the evidence was
        chosen, in body text; then the numbered references, the only small print, in two
        columns so that they take the least room from the parts every reader needs.
        """
        about, pack, words = self.text.about, self.content.pack, self.text.pack_texts
        # Three paragraphs: who stands behind it, which version it is, how it was made.
        paragraphs = [
            about.not_advice,
            " ".join(
                (
                    about.made_by.format(made_by=words.made_by),
                    about.funding.format(funding=words.funding),
                    about.conflicts.format(conflicts=words.conflicts),
                )
            ),
            " ".join(
                (
                    about.version.format(
                        pack=pack.name,
                        version=pack.version,
                        published=pack.published.isoformat(),
                        last_reviewed=pack.last_reviewed.isoformat(),
                    ),
                    about.review.format(
                        next_review=pack.next_review.isoformat(),
                        review_policy=words.review_policy,
                    ),
                )
            ),
            about.method.format(method=words.evidence_method, research_date=words.research_date),
        ]
        self.story.append(self.heading(about.title))
        self.story.extend(self.para(paragraph) for paragraph in paragraphs)
        # The references come last: by now every citation of the handout has its number.
        references: list[Flowable] = []
        for number, key in enumerate(self.cite.order, start=1):
            source = self.content.evidence.sources[key]
            entry = " ".join(source.citation.split())
            if source.identifier:
                entry += f" {source.identifier}."
            references.append(Paragraph(f"{number}. {escape(entry)}", self.styles.small))
        self.story.append(CondPageBreak(1.0 * inch))
        self.story.append(Paragraph(escape(self.text.references_title), self.styles.subheading))
        self.story.append(two_columns(references, self.width, self.styles))


def render(
    consult: Consult,
    assessment: Assessment,
    content: Content,
    lang: Language,
    paper: Paper,
    clinic: ClinicDetails,
    today: datetime.date,
    *,
    large_print: bool = False,  # TODO(handout): large print
) -> bytes:
    """See :func:`decision_aid.handout.render_handout`."""
    for spacing in SPACINGS:
        pdf, pages = _render_with(consult, assessment, content, lang, paper, clinic, today, spacing)
        if pages <= MAX_PAGES:
            break
    return pdf


def _render_with(
    consult: Consult,
    assessment: Assessment,
    content: Content,
    lang: Language,
    paper: Paper,
    clinic: ClinicDetails,
    today: datetime.date,
    spacing: Spacing,
) -> tuple[bytes, int]:
    """The handout laid out with one spacing, and its number of pages."""
    regular, bold = fonts(content)
    styles = Styles(regular, bold, spacing)
    width = text_width(paper)
    overdue = content.pack.is_overdue(today)
    text = content.handout[lang]
    builder = _Builder(consult, assessment, content, lang, width, clinic, overdue, styles)
    story = builder.build()

    pack = content.pack
    # The stamp (a hash of the pack's texts) is the same one the clinician note records.
    footer_left = (
        text.footer.format(
            pack=pack.name, version=pack.version, published=pack.published.isoformat()
        )
        + f" ({content.stamp})"
    )
    footer = Footer(
        left=footer_left,
        page_of=text.page_of,
        overdue=text.overdue.short if overdue else "",
        regular=regular,
        bold=bold,
        page_width=PAGE_SIZES[paper][0],
    )
    return lay_out(
        story,
        paper,
        footer,
        title=text.title,
        author=pack.name,
        subject=text.decision,
        lang=lang,
    )
