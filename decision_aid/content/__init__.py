"""The one reader of the content pack: evidence library, rule texts, question texts and the
handout's words.

Every clinical statement the program makes is content: it lives in a pack directory (the
built-in ``resources/``, or a clinic's own reviewed copy), is validated here when it is loaded,
and carries the pack's version and review dates. No other package opens a file of the pack.

One module per job, from the bottom up:

- ``base``: the pack's file names, the base model and text types, :class:`ContentError`
- ``pack``, ``evidence``, ``rulebook``, ``questions``, ``course_words``: the model of each
  file, and
  :class:`Content`, the whole pack
- ``handout_text``: the model of the handout's words; not gathered here, because only a
  process that validates or makes a handout needs to define it
- ``checks``: what no single model checks: placeholders, citation marks, the handout files
- ``languages``: the handout's languages a pack offers and their names, the papers' names
- ``yaml_safety``: parsing YAML within bounds; ``cache``: the validated-pack cache
- ``loader``: finding and reading a pack, :func:`load_content`; ``fonts``: the pack's fonts

This module only gathers their public names.
"""

from decision_aid.content.base import (
    COURSE_WORDS_FILE,
    EVIDENCE_FILE,
    FUNDED_BY_NONE,
    HANDOUT_FOLDER,
    PACK_FILE,
    QUESTIONS_FILE,
    RULES_FILE,
    CitationKey,
    ContentError,
    FrozenModel,
    Text,
    handout_file,
)
from decision_aid.content.cache import CACHE_ENV
from decision_aid.content.checks import CITATION_MARK, check_template, citation_marks
from decision_aid.content.course_words import (
    CourseField,
    CourseWords,
    NoteWords,
    Plural,
    bounds_of,
    course_fields,
)
from decision_aid.content.evidence import Arm, Certainty, Claim, EvidenceLibrary, Figure, Source
from decision_aid.content.fonts import (
    BOLD_FONT_FILE,
    FONTS_FOLDER,
    REGULAR_FONT_FILE,
    font_bytes,
    handout_font_files,
)
from decision_aid.content.languages import (
    LANGUAGE_QUESTION,
    PAPER_NAMES,
    describe_languages,
    offered_languages,
)
from decision_aid.content.loader import (
    CONTENT_ENV,
    MAX_FONT_BYTES,
    MAX_PACK_FILE_BYTES,
    builtin_pack,
    load_content,
    pack_directory,
    read_text,
)
from decision_aid.content.pack import Content, HandoutTexts, PackInfo
from decision_aid.content.questions import ListStates, Question, QuestionBook, Step
from decision_aid.content.rulebook import RuleBook, RuleText
from decision_aid.content.yaml_safety import MAX_YAML_DEPTH, MAX_YAML_EVENTS, parse_yaml

__all__ = [
    "FUNDED_BY_NONE",
    "BOLD_FONT_FILE",
    "CACHE_ENV",
    "CITATION_MARK",
    "COURSE_WORDS_FILE",
    "CONTENT_ENV",
    "EVIDENCE_FILE",
    "FONTS_FOLDER",
    "HANDOUT_FOLDER",
    "LANGUAGE_QUESTION",
    "MAX_FONT_BYTES",
    "MAX_PACK_FILE_BYTES",
    "MAX_YAML_DEPTH",
    "MAX_YAML_EVENTS",
    "PACK_FILE",
    "PAPER_NAMES",
    "QUESTIONS_FILE",
    "REGULAR_FONT_FILE",
    "RULES_FILE",
    "Arm",
    "Certainty",
    "CitationKey",
    "Claim",
    "Content",
    "CourseField",
    "CourseWords",
    "ContentError",
    "EvidenceLibrary",
    "Figure",
    "FrozenModel",
    "HandoutTexts",
    "ListStates",
    "NoteWords",
    "Plural",
    "PackInfo",
    "Question",
    "QuestionBook",
    "RuleBook",
    "RuleText",
    "Source",
    "Step",
    "Text",
    "builtin_pack",
    "bounds_of",
    "check_template",
    "course_fields",
    "citation_marks",
    "describe_languages",
    "font_bytes",
    "handout_font_files",
    "handout_file",
    "load_content",
    "offered_languages",
    "pack_directory",
    "parse_yaml",
    "read_text",
]
