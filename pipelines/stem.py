"""Indonesian stems for search: Sastrawi's stemmer over words split the way SQLite's FTS5 splits them.

The stemmed search index (``articles_stem_fts``) holds every article's title and
body with each word replaced by its stem (``kebanjiran`` -> ``banjir``,
``perkoperasian`` -> ``koperasi``, ``rumah-rumah`` -> ``rumah``), written by
warta's own write path; a query's words are stemmed the same way, so a search for
any form finds every form. :func:`mark_matches` shows which words of a text
matched, for snippets.

The stemmer is PySastrawi (the maintained release of Sastrawi, the established
Indonesian stemmer: a dictionary of roots and the confix-stripping rules of
Nazief-Adriani/Asian/Arifin). Words are split as FTS5's unicode61 tokenizer splits
them, except that a hyphenated word (``pete-pete``, ``bermain-main``) is stemmed
whole, so Sastrawi sees reduplication. Words with digits or letters outside a-z
(names, numbers, foreign words) are kept as they are, lower-cased.

Example usage::

    from pipelines.stem import stem_text, stem_word
    stem_word("kebanjiran")            # 'banjir'
    stem_text("Warga Kebanjiran Lagi")  # 'warga banjir lagi'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import metadata

#: A word as FTS5's unicode61 sees it (letters and digits; ``_`` separates), with
#: hyphenated parts kept together for the stemmer.
WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")

#: Words Sastrawi may stem: lower-case a-z, possibly hyphenated, at least 4 letters
#: (shorter words are roots or particles: ``di``, ``ke``, ``yang``).
_STEMMABLE = re.compile(r"[a-z]{2,}(?:-[a-z]+)*")
_MIN_LENGTH = 4

#: Distinct words whose stems are kept in memory (a large news archive has a few
#: hundred thousand distinct words; the stemmer takes ~0.2 ms per new word).
STEM_CACHE_SIZE = 300_000


def _stemmer_version() -> str:
    try:
        return "pysastrawi-" + metadata.version("PySastrawi")
    except metadata.PackageNotFoundError:
        return "sastrawi-unknown"


#: Identifies the stems: the stemmed index is rebuilt when this changes (a new
#: Sastrawi dictionary, or new rules here), because its entries can only be
#: removed with the very stems they were written with.
STEMMER_VERSION = f"{_stemmer_version()}+warta-1"


@lru_cache(maxsize=1)
def _stemmer():
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Stemmer import Stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    # The factory's stemmer wraps this one in an unbounded cache; ours (stem_word) is bounded.
    return Stemmer(ArrayDictionary(StemmerFactory().get_words()))


@lru_cache(maxsize=STEM_CACHE_SIZE)
def stem_word(word: str) -> str:
    """The stem of one word (lower-cased); words Sastrawi should not touch come back lower-cased.

    >>> [stem_word(w) for w in ("Kebanjiran", "perkoperasian", "ditanami", "rumah-rumah", "2019", "di")]
    ['banjir', 'koperasi', 'tanam', 'rumah', '2019', 'di']
    """
    lower = word.lower()
    if len(lower) < _MIN_LENGTH or not _STEMMABLE.fullmatch(lower):
        return lower
    return _stemmer().stem_word(lower) or lower


def fold(word: str) -> str:
    """Lower case without accents, as unicode61 with ``remove_diacritics 2`` compares words.

    >>> fold("Café")
    'cafe'
    """
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem_text(text: str | None) -> str:
    """The text as the stemmed index holds it: each word's stem, separated by spaces.

    >>> stem_text("Puluhan rumah terendam banjir; warga mengungsi.")
    'puluh rumah rendam banjir warga ungsi'
    """
    if not text:
        return ""
    return " ".join(stem_word(w) for w in WORD.findall(text))


def words(text: str) -> list[str]:
    """The words of a query phrase, split as the index splits them (hyphenated words whole)."""
    return WORD.findall(text)


class Matcher:
    """Tells which words of texts a query matched; remembers each distinct word's answer.

    A word matches when its stem is in ``stems``, its folded form is in ``exact``,
    or its folded form starts with one of ``prefixes``. Hyphenated words are
    judged whole (``pete-pete``) and, for exact words, by part too.
    """

    def __init__(self, stems: set[str], exact: set[str] = frozenset(), prefixes: tuple[str, ...] = ()):
        self.stems, self.exact, self.prefixes = stems, exact, tuple(prefixes)
        self.known: dict[str, bool] = {}

    def matches(self, word: str) -> bool:
        found = self.known.get(word)
        if found is None:
            found = self.known[word] = self._judge(word)
        return found

    def _judge(self, word: str) -> bool:
        if stem_word(word) in self.stems:
            return True
        if not self.exact and not self.prefixes:
            return False
        folded = word.lower() if word.isascii() else fold(word)
        parts = [folded, *folded.split("-")] if "-" in folded else [folded]
        return any(p in self.exact or (self.prefixes and p.startswith(self.prefixes)) for p in parts)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The (start, end) spans of the matched words in ``text``."""
        return [(m.start(), m.end()) for m in WORD.finditer(text) if self.matches(m.group())]


def mark_matches(text: str, stems: set[str], exact: set[str] = frozenset(),
                 prefixes: tuple[str, ...] = ()) -> list[tuple[int, int]]:
    """The (start, end) spans of the words in ``text`` that a query matched (see :class:`Matcher`).

    >>> text = "Warga kebanjiran, banjir rob"
    >>> [text[a:b] for a, b in mark_matches(text, {"banjir"})]
    ['kebanjiran', 'banjir']
    """
    return Matcher(stems, exact, prefixes).spans(text)
