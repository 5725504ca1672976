"""Reading a content pack: where it is, its files (regular files only, within limits), and
:func:`load_content`, which validates every file or takes the pack from the cache.

The built-in pack is ``resources/`` at the top of a source checkout, and
``decision_aid/resources`` inside an installed wheel; both are found through the package.
No other module opens a file of the pack.
"""

from __future__ import annotations

import hashlib
import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Final

from pydantic import BaseModel, ValidationError

from decision_aid.consult import Language, describe_validation_error
from decision_aid.content import yaml_safety
from decision_aid.content.base import (
    COURSE_WORDS_FILE,
    EVIDENCE_FILE,
    PACK_FILE,
    QUESTIONS_FILE,
    RULES_FILE,
    ContentError,
    handout_file,
)
from decision_aid.content.cache import cache_file, cached, store
from decision_aid.content.checks import check_handout
from decision_aid.content.course_words import CourseWords
from decision_aid.content.evidence import EvidenceLibrary
from decision_aid.content.languages import LANGUAGE_QUESTION, offered_languages
from decision_aid.content.pack import Content, HandoutTexts, PackInfo
from decision_aid.content.questions import QuestionBook
from decision_aid.content.rulebook import RuleBook

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

# A clinic's own reviewed pack, shared across its desktops (docs/design.md section 3).
CONTENT_ENV: Final = "DECISION_AID_CONTENT"


def pack_directory(setting: str | None = None, option: str | None = None) -> Traversable:
    """The pack in use: the ``--content`` option, else $DECISION_AID_CONTENT, else the app's
    setting, else the built-in one.

    A clinic pack that is named but broken is refused when it is loaded; the built-in pack is
    never used silently in its place.

    Args:
        setting: the content folder of the window's Settings, if any.
        option: the folder given to ``--content`` for this run, if any.
    """
    chosen = option or os.environ.get(CONTENT_ENV) or setting
    return Path(chosen).expanduser() if chosen else builtin_pack()


def builtin_pack() -> Traversable:
    """The pack that ships with the program, in a wheel or in a source checkout."""
    installed = resources.files("decision_aid") / "resources"
    if installed.is_dir():
        return installed
    # decision_aid/content/loader.py: the checkout's resources/ is three folders up.
    return Path(__file__).resolve().parent.parent.parent / "resources"


def load_content(directory: Traversable | Path | None = None) -> Content:
    """Reads and validates a whole content pack.

    A pack that was validated before, with exactly the same texts and the same program, is
    taken from the user's cache instead of being validated again (see
    :func:`decision_aid.content.cache.cached`).

    Args:
        directory: the pack's folder; when None, the one :func:`pack_directory` names.

    Raises:
        ContentError: a file is missing, is not valid YAML, does not fit its schema, or cites
            a source that the evidence library does not have.
    """
    folder = pack_directory() if directory is None else directory
    if not folder.is_dir():
        raise ContentError(str(folder), "the content pack folder does not exist")
    names = [PACK_FILE, EVIDENCE_FILE, RULES_FILE, QUESTIONS_FILE, COURSE_WORDS_FILE]
    # A pack offers some of the program's languages: the handout files it has are read, and
    # held to the languages questions.yaml offers when the pack is validated.
    names += [handout_file(language) for language in Language if _is_there(folder, language)]
    texts = {name: read_text(folder, name) for name in names}
    digest = hashlib.sha256()
    for name, text in texts.items():
        digest.update(f"{name}\0{text}\0".encode())
    texts_hash = digest.hexdigest()
    kept_at = cache_file(texts_hash)
    kept = cached(kept_at, texts_hash)
    if kept is not None:
        return kept.model_copy(update={"location": str(folder)})
    content = _validate_pack(texts, folder, stamp=texts_hash[:10])
    store(kept_at, content, texts_hash)
    return content


def _is_there(folder: Traversable | Path, language: Language) -> bool:
    """Whether the pack has an entry by the name of this language's handout file: a folder
    or a FIFO of that name is there, and refused by name when it is read."""
    entry = folder / handout_file(language)
    return os.path.lexists(entry) if isinstance(entry, os.PathLike) else entry.is_file()


def _validate_pack(texts: dict[str, str], folder: Traversable | Path, stamp: str) -> Content:
    from decision_aid.content.handout_text import HandoutText

    pack = _validated(PackInfo, texts, PACK_FILE)
    evidence = _validated(EvidenceLibrary, texts, EVIDENCE_FILE)
    rulebook = _validated(RuleBook, texts, RULES_FILE)
    questions = _validated(QuestionBook, texts, QUESTIONS_FILE)
    course = _validated(CourseWords, texts, COURSE_WORDS_FILE)
    offered = offered_languages(questions)
    for language in Language:
        name = handout_file(language)
        if language in offered and name not in texts:
            raise ContentError(name, f"missing from the content pack at {folder}")
        if language not in offered and name in texts:
            raise ContentError(
                name,
                f"{QUESTIONS_FILE} does not offer {language.value} as a handout language "
                f"({LANGUAGE_QUESTION}): add it there, or remove this file",
            )
    handout = {
        language: _validated(HandoutText, texts, handout_file(language)) for language in offered
    }
    check_handout(handout, pack, evidence)
    content = Content(
        pack=pack,
        evidence=evidence,
        rulebook=rulebook,
        questions=questions,
        course=course,
        handout=HandoutTexts.of(handout),
        location=str(folder),
        stamp=stamp,
    )
    for place, keys in content.citation_keys_used().items():
        for key in keys:
            if key not in evidence.sources:
                file, _, where = place.partition(": ")
                raise ContentError(
                    file, f"{where} cites {key!r}, which is not a source in {EVIDENCE_FILE}"
                )
    return content


# Inputs are read only as regular files, and only up to a limit (docs/design.md section 11):
# a pack file is some tens of kB, a font a few hundred.
MAX_PACK_FILE_BYTES: Final = 5_000_000
MAX_FONT_BYTES: Final = 20_000_000


def read_text(folder: Traversable | Path, name: str) -> str:
    """The text of one file of a pack, with its line ends made ``\n``.

    Raises:
        ContentError: the file is missing, unreadable, not a regular file (a FIFO, a device,
            a folder), over 5 MB, or not UTF-8.
    """
    data = read_pack_bytes(
        folder / name, name, MAX_PACK_FILE_BYTES, f"missing from the content pack at {folder}"
    )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ContentError(name, "is not UTF-8 text") from None
    # As text mode reads it (universal newlines), so a pack's stamp is the same on every OS.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_pack_bytes(file: Traversable | Path, name: str, limit: int, missing: str) -> bytes:
    """The bytes of one file of a pack, read only if it is a regular file of at most ``limit``.

    Raises:
        ContentError: naming the file as ``name``; ``missing`` says where it was looked for.
    """
    from decision_aid.files import FileTooLargeError, NotARegularFileError, read_regular_file

    try:
        if isinstance(file, os.PathLike):
            return read_regular_file(file, limit)
        # A resource of an installed package that is not a file of its own (a zip archive):
        # the program's own, and read through its loader.
        data = file.read_bytes()
    except FileNotFoundError:
        raise ContentError(name, missing) from None
    except (NotARegularFileError, FileTooLargeError) as error:
        raise ContentError(name, str(error)) from None
    except OSError as error:
        raise ContentError(name, f"cannot be read ({error.strerror or error})") from None
    if len(data) > limit:
        raise ContentError(name, f"too large (over {limit // 1_000_000} MB)")
    return data


def _validated[M: BaseModel](model: type[M], texts: dict[str, str], name: str) -> M:
    # Through the module, so that a test can count the files that are parsed.
    data = yaml_safety.parse_yaml(texts[name], name)
    if not isinstance(data, dict):
        raise ContentError(name, "must hold a YAML mapping at the top level")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ContentError(name, describe_validation_error(error)) from None
