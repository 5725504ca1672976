"""Spanish readability with a Spanish syllable count (docs/design.md section 6.11, gate 2).

textstat counts Spanish syllables with pyphen's hyphenation dictionary, which leaves out
many breaks ("una", "otro", "alivio", "aún", "días" come out one syllable short) and counts
numbers as words, so its Fernández-Huerta reads 7-9 points easier than the text is (issue
24 item 9). This module counts syllables by the rules of Spanish spelling instead, and
scores a text with them:

- Szigriszt-Pazos (INFLESZ): 206.835 - 62.3 x syllables/words - words/sentences. The gate.
- Fernández-Huerta: 206.84 - 60 x syllables/words - 1.02 x words/sentences, the same
  formula textstat uses (its ``fernandez_huerta``); reported beside the gate, not gated.

It is a test tool, not part of the product: the gates import it, and nothing in
``decision_aid`` does (the handout does not measure itself at run time; the release check
writes the measured level into the pack). It lives here, beside the gates that use it, so
that it is type-checked and linted with them and ships in no wheel or bundle.

How a word is counted (orthographic syllables, as a reader says the written word):

- A syllable is a vowel nucleus: one vowel, or a diphthong or triphthong.
- i, u, ü and a final y (one not followed by a vowel: "hoy", "muy", "buey") are weak
  vowels; a, e, o are strong; an accented í or ú counts as strong (it breaks a diphthong:
  "día" dí-a, "país" pa-ís, "baúl" ba-úl, "reír" re-ír). á, é, ó are strong.
- Next to each other, a weak vowel and any vowel share a nucleus ("ciudad" ciu-dad,
  "huir" huir, "averiguáis" a-ve-ri-guáis, "buey" buey); two strong vowels are two
  syllables (hiato: "le-er", "po-e-ta", "o-í-do"), and so are two equal weak ones
  ("chi-i-ta").
- A silent h between vowels does not part them ("ahu-mar", "prohí-be" pro-hí-be).
- The u of que, qui, gue, gui (also with é, í) is silent and is no nucleus; ü is sounded
  ("pin-güi-no").
- y before a vowel is a consonant ("ya", "a-yu-da", "re-yes"); y alone is a word of one
  syllable.
- Words are runs of letters only. A token holding a digit ("988", "J3490", "NCT07230171",
  "1-800-662-4357") is left out, not read aloud: numbers are short to read but long to
  spell out, and leaving them out is what the design asks. Abbreviations are counted as
  they are spelled ("FDA" one nucleus, "SDRC" none): a run of letters with no vowel counts
  as one syllable, so that every word has at least one. Foreign words (English names in the
  source list, which the gate leaves out anyway) are counted by the same Spanish rules.
- The gender ending written in brackets ("seguro(a)", "todos(as)") is not a word of its own.

A sentence ends at ". ", "!", "?" (and "…"), and at the end of each piece of text the
caller gives: the gate passes each heading, paragraph, list item and table cell as a piece,
so that a heading or a cell without a full stop still ends its sentence. The full stop of
an abbreviation ("EE. UU.", "Dr.", "p. ej.") ends nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterable

STRONG: Final = frozenset("aeoáéó")
# Accented weak vowels: they carry the stress and so stand in a syllable of their own.
ACCENTED_WEAK: Final = frozenset("íú")
WEAK: Final = frozenset("iuü")
VOWELS: Final = STRONG | ACCENTED_WEAK | WEAK
# Letters of a Spanish word (and of the foreign words and names a Spanish text quotes).
_TOKEN: Final = re.compile(r"[^\W_]+")
_GENDER_ENDING: Final = re.compile(r"(?<=[^\W\d_])\((?:a|as|os|o)\)", re.I)
# Abbreviations whose full stop ends no sentence, as written in the handout's Spanish.
_ABBREVIATIONS: Final = re.compile(r"\b(?:EE\. ?UU|p\. ?ej|Dr|Dra|Sr|Sra|etc|núm|aprox)\.", re.I)
_SENTENCE_END: Final = re.compile(r"[.!?…]+(?=\s|$|[\"”»)])")


def syllables(word: str) -> int:
    """The syllables of one Spanish word written in letters (0 for a token without
    letters or with a digit: it is not a word here)."""
    if not word or any(char.isdigit() for char in word):
        return 0
    letters = unicodedata.normalize("NFC", word.lower())
    if not any(char.isalpha() for char in letters):
        return 0
    vowels = _vowel_marks(letters)
    count = 0
    previous: str | None = None  # the class of the last vowel of the running group
    previous_letter = ""
    for char, kind in zip(letters, vowels, strict=True):
        if kind is None:
            # A silent h between vowels keeps them in one group; any other letter ends it.
            if char != "h":
                previous, previous_letter = None, ""
            continue
        if previous is None or _apart(previous, previous_letter, kind, char):
            count += 1
        previous, previous_letter = kind, char
    return max(count, 1)


def _vowel_marks(letters: str) -> list[str | None]:
    """For each letter: "strong", "weak" or None (a consonant, or a silent u)."""
    marks: list[str | None] = []
    for index, char in enumerate(letters):
        before = letters[index - 1] if index else ""
        after = letters[index + 1] if index + 1 < len(letters) else ""
        if char == "u" and before in {"q", "g"} and after in {"e", "i", "é", "í"}:
            marks.append(None)  # que, qui, gue, gui: the u is not said
        elif char == "y":
            # A vowel at the end of a word or before a consonant ("hoy", "muy", "y");
            # before a vowel a consonant ("ya", "ayuda").
            marks.append("weak" if after not in VOWELS else None)
        elif char in STRONG or char in ACCENTED_WEAK:
            marks.append("strong")
        elif char in WEAK:
            marks.append("weak")
        else:
            marks.append(None)
    return marks


def _apart(before: str, before_letter: str, kind: str, letter: str) -> bool:
    """Whether two vowels side by side are said in two syllables (a hiato)."""
    if before == "strong" and kind == "strong":
        return True
    # Two equal weak vowels ("chiita", "duunviro") are two syllables; i and u (or y)
    # share one ("ciudad", "muy").
    same = {before_letter, letter} <= {"i", "y"} or before_letter == letter == "u"
    return before == kind == "weak" and same


def words(text: str) -> list[str]:
    """The words of a text: runs of letters, without tokens holding digits."""
    text = _GENDER_ENDING.sub("", text)
    tokens = re.split(r"[\s/–—]+", text)
    found: list[str] = []
    for token in tokens:
        if any(char.isdigit() for char in token):
            continue
        found += _TOKEN.findall(token)
    return found


def sentences(piece: str) -> int:
    """The sentences of one piece of text (a heading, paragraph, list item or cell): those
    ended by . ! ? …, and the piece's end, each holding at least one word."""
    text = _ABBREVIATIONS.sub(lambda match: match.group(0).replace(".", ""), piece)
    parts = _SENTENCE_END.split(text)
    return sum(1 for part in parts if words(part))


@dataclass(frozen=True)
class Counts:
    words: int
    syllables: int
    sentences: int

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences

    @property
    def szigriszt_pazos(self) -> float:
        """INFLESZ: 206.835 - 62.3 x syllables/words - words/sentences."""
        return 206.835 - 62.3 * self.syllables_per_word - self.words_per_sentence

    @property
    def fernandez_huerta(self) -> float:
        """206.84 - 60 x syllables/words - 1.02 x words/sentences."""
        return 206.84 - 60 * self.syllables_per_word - 1.02 * self.words_per_sentence


def count(pieces: Iterable[str]) -> Counts:
    """Words, syllables and sentences of a text given as its pieces (each ends a sentence)."""
    total_words = total_syllables = total_sentences = 0
    for piece in pieces:
        found = words(piece)
        total_words += len(found)
        total_syllables += sum(syllables(word) for word in found)
        total_sentences += sentences(piece)
    if not total_words or not total_sentences:
        raise ValueError("no words to score")
    return Counts(total_words, total_syllables, total_sentences)
