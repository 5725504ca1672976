"""The words of "About this handout" (docs/design.md section 6, design 6.8), from pack.yaml
in the handout's language: who wrote it and their qualifications, who checked it and when
(patients included, or said not to have), who paid for it (said positively), this version
and its next check, how the facts were chosen, and the reading level measured for it.

Printed at body size: the IPDAS items a certification rests on are not small print
(handout-standards 9.1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from decision_aid.content import FUNDED_BY_NONE

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable

    from decision_aid.consult import Language
    from decision_aid.content import Content


def about_paragraphs(
    content: Content, language: Language, in_words: Callable[[datetime.date], str]
) -> list[str]:
    """Three paragraphs of handout text: who stands behind it, which version it is, how it
    was made and how easy it is to read."""
    text = content.handout[language]
    about, pack, words = text.about, content.pack, text.pack_texts
    authors = ", ".join(
        about.author.format(name=author.name, qualification=author.qualification)
        for author in words.authors
    )
    author_names = ", ".join(author.name for author in words.authors)
    reviewers = "; ".join(
        about.reviewer.format(
            role=said.role, qualification=said.qualification, date=in_words(reviewer.date)
        )
        for said, reviewer in zip(words.reviewers, pack.reviewers, strict=True)
    )
    who: list[str] = [about.not_advice, about.same_copy, about.authors.format(authors=authors)]
    who.append(about.reviewers.format(reviewers=reviewers) if reviewers else about.no_reviewers)
    if not pack.patients_reviewed:
        who.append(about.no_patients)
    if pack.funded_by == FUNDED_BY_NONE:
        who.append(about.funded_by_none.format(authors=author_names))
    else:
        who.append(about.funded_by.format(funder=words.funded_by))
    who.append(about.conflicts.format(conflicts=words.conflicts))
    version = (
        about.version.format(
            pack=words.name, version=pack.version, published=in_words(pack.published)
        ),
        about.review.format(
            next_review=in_words(pack.next_review), review_policy=words.review_policy
        ),
    )
    level = pack.reading_level[language]
    method = (
        about.method.format(method=words.evidence_method, research_date=words.research_date),
        about.reading_level.format(score=f"{level.score:g}"),
    )
    return [" ".join(who), " ".join(version), " ".join(method)]
