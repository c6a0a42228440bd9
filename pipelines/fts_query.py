"""Search queries in FTS5 syntax, parsed, so each word can go to the stemmed or the exact index.

The syntax is SQLite FTS5's: words (implicit AND), ``"quoted phrases"``, ``AND``,
``OR``, ``NOT``, parentheses, ``NEAR(a b, 5)``, ``ban*`` prefixes, ``^`` (first
word of a column), ``+`` (phrase concatenation) and column filters
``title:banjir``, ``{title body}:banjir``, ``-title:banjir``. One leniency:
a hyphenated word (``pete-pete``, ``Tanjung-Priok``) is a word, as it is in the
stemmed index.

A plain word matches every form of its stem; a quoted phrase or a prefix
(``"kebanjiran"``, ``pelabuh*``) matches the exact form. :func:`compile_query`
turns the parsed query into SQL over the two indexes: one FTS5 ``MATCH`` when
the query is all stems or all exact forms (the usual case), set operations of
several ``MATCH`` es when it mixes them.

Example usage::

    query = parse("banjir OR \\"tanah longsor\\"")
    plan = compile_query(query)   # plan.sql selects the matching rowids
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import BadQuery
from .stem import fold, stem_word, words

#: The columns of both FTS indexes.
COLUMNS = ("title", "body")

#: The FTS5 tables: words by stem, and words in their exact (folded) form.
STEM_TABLE = "articles_stem_fts"
EXACT_TABLE = "articles_fts"

_KEYWORDS = {"AND", "OR", "NOT", "NEAR"}
_TOKEN = re.compile(
    r'\s+|(?P<string>"(?:[^"]|"")*")|(?P<word>[^\W_]+(?:[-\'’][^\W_]+)*|_+)|(?P<punct>[(){}:*^+,-])'
    r'|(?P<other>.)',
    re.UNICODE,
)


class ParseError(BadQuery):
    """The query is not valid FTS5 syntax (the caller may search its words literally)."""


@dataclass
class Term:
    """One word, or one quoted string of words; ``prefix`` when followed by ``*``."""

    text: str
    quoted: bool = False
    prefix: bool = False


@dataclass
class Phrase:
    """Terms that must follow one another (``a + b``, or the words of a quoted string)."""

    terms: list[Term]
    caret: bool = False
    columns: tuple[str, ...] | None = None
    negated_columns: bool = False

    @property
    def exact(self) -> bool:
        return any(t.quoted or t.prefix for t in self.terms)


@dataclass
class Near:
    phrases: list[Phrase]
    distance: int | None = None
    columns: tuple[str, ...] | None = None
    negated_columns: bool = False

    @property
    def exact(self) -> bool:
        return any(p.exact for p in self.phrases)


@dataclass
class BoolOp:
    """``AND``, ``OR`` (any number of operands) or ``NOT`` (two: left NOT right)."""

    op: str
    operands: list = field(default_factory=list)


# --- parsing --------------------------------------------------------------------------------


def _lex(text: str) -> list[tuple[str, str]]:
    tokens = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind is None:
            continue
        value = m.group()
        if kind == "other":
            raise ParseError(f"unexpected {value!r}")
        if kind == "string":
            value = value[1:-1].replace('""', '"')
        elif kind == "word" and value in _KEYWORDS:
            kind = "keyword"
        tokens.append((kind, value))
    return tokens


class _Parser:
    def __init__(self, text: str):
        if text.count('"') % 2:
            raise ParseError("unbalanced quote")
        self.tokens = _lex(text)
        self.pos = 0

    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        i = self.pos + offset
        return self.tokens[i] if i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ParseError("query ends too early")
        self.pos += 1
        return token

    def expect(self, value: str) -> None:
        kind, got = self.take()
        if got != value or kind == "string":
            raise ParseError(f"expected {value!r}, got {got!r}")

    def parse(self):
        if not self.tokens:
            raise ParseError("empty query")
        node = self.or_expr()
        if self.peek() is not None:
            raise ParseError(f"unexpected {self.peek()[1]!r}")
        return node

    def or_expr(self):
        operands = [self.and_expr()]
        while self.peek() == ("keyword", "OR"):
            self.take()
            operands.append(self.and_expr())
        return operands[0] if len(operands) == 1 else BoolOp("OR", operands)

    def and_expr(self):
        operands = [self.not_expr()]
        while True:
            token = self.peek()
            if token == ("keyword", "AND"):
                self.take()
            elif token is None or token in (("keyword", "OR"), ("keyword", "NOT"), ("punct", ")")):
                break
            operands.append(self.not_expr())
        return operands[0] if len(operands) == 1 else BoolOp("AND", operands)

    def not_expr(self):
        node = self.unary()
        while self.peek() == ("keyword", "NOT"):
            self.take()
            node = BoolOp("NOT", [node, self.unary()])
        return node

    def colspec(self) -> tuple[tuple[str, ...], bool] | None:
        """A column filter ahead (``title:``, ``{title body}:``, ``-title:``), consumed."""
        start = self.pos
        negated = False
        if self.peek() == ("punct", "-"):
            negated = True
            self.pos += 1
        token = self.peek()
        names: list[str] = []
        if token and token[0] == "word" and self.peek(1) == ("punct", ":"):
            names = [token[1]]
            self.pos += 2
        elif token == ("punct", "{"):
            self.pos += 1
            while self.peek() and self.peek()[0] == "word":
                names.append(self.take()[1])
            if self.peek() != ("punct", "}") or self.peek(1) != ("punct", ":"):
                self.pos = start
                raise ParseError("a column list is {title body}:")
            self.pos += 2
        else:
            self.pos = start
            return None
        unknown = [n for n in names if n.lower() not in COLUMNS]
        if unknown or not names:
            raise ParseError(f"no column {unknown[0] if unknown else ''!r} (columns: {', '.join(COLUMNS)})")
        return tuple(n.lower() for n in names), negated

    def unary(self):
        spec = self.colspec()
        token = self.peek()
        if token == ("punct", "("):
            self.take()
            node = self.or_expr()
            self.expect(")")
        elif token == ("keyword", "NEAR") and self.peek(1) == ("punct", "("):
            node = self.near()
        else:
            node = self.phrase()
        if spec:
            _apply_columns(node, *spec)
        return node

    def near(self) -> Near:
        self.take()
        self.expect("(")
        phrases = []
        distance = None
        while True:
            token = self.peek()
            if token == ("punct", ")"):
                break
            if token == ("punct", ","):
                self.take()
                kind, value = self.take()
                if kind != "word" or not value.isdigit():
                    raise ParseError("NEAR distance must be a number")
                distance = int(value)
                break
            phrases.append(self.phrase())
        self.expect(")")
        if len(phrases) < 2:
            raise ParseError("NEAR needs at least two phrases")
        return Near(phrases, distance)

    def phrase(self) -> Phrase:
        caret = False
        if self.peek() == ("punct", "^"):
            self.take()
            caret = True
        terms = [self.term()]
        while self.peek() == ("punct", "+"):
            self.take()
            terms.append(self.term())
        return Phrase(terms, caret)

    def term(self) -> Term:
        kind, value = self.take()
        if kind == "keyword" and value != "NEAR":
            raise ParseError(f"{value} needs a word on each side")
        if kind not in ("word", "string", "keyword"):
            raise ParseError(f"unexpected {value!r}")
        if kind == "word" and not any(c.isalnum() for c in value):
            raise ParseError(f"unexpected {value!r}")
        prefix = False
        if self.peek() == ("punct", "*"):
            self.take()
            prefix = True
        if kind == "string" and not words(value):
            raise ParseError("an empty phrase")
        return Term(value, quoted=kind == "string", prefix=prefix)


def _apply_columns(node, columns: tuple[str, ...], negated: bool) -> None:
    if isinstance(node, (Phrase, Near)):
        if node.columns is None:
            node.columns, node.negated_columns = columns, negated
        return
    for operand in node.operands:
        _apply_columns(operand, columns, negated)


def parse(text: str):
    """The query's syntax tree.

    :raises ParseError: when the text is not FTS5 syntax (an unbalanced quote, a
        lone operator, an unknown column).

    >>> parse('title:banjir NOT rob')
    BoolOp(op='NOT', operands=[Phrase(terms=[Term(text='banjir', quoted=False, prefix=False)], caret=False, \
columns=('title',), negated_columns=False), Phrase(terms=[Term(text='rob', quoted=False, prefix=False)], \
caret=False, columns=None, negated_columns=False)])
    """
    return _Parser(text).parse()


# --- rendering --------------------------------------------------------------------------------


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _render_term(term: Term, stemmed: bool) -> str:
    parts = words(term.text)
    if stemmed:
        # Sastrawi stems a hyphenated word whole; the index then splits its stem at the hyphen.
        return _quote(" ".join(stem_word(w) for w in parts))
    return _quote(" ".join(parts)) + ("*" if term.prefix else "")


def _columns_prefix(columns, negated) -> str:
    if not columns:
        return ""
    names = columns[0] if len(columns) == 1 else "{" + " ".join(columns) + "}"
    return ("- " if negated else "") + names + " : "


def render(node, stemmed: bool) -> str:
    """The FTS5 text of ``node`` for the stemmed index (``stemmed``) or the exact one.

    >>> render(parse('kebanjiran OR "tanah longsor"'), stemmed=True)
    '"banjir" OR "tanah longsor"'
    """
    if isinstance(node, Phrase):
        body = " + ".join(_render_term(t, stemmed) for t in node.terms)
        return _columns_prefix(node.columns, node.negated_columns) + ("^ " if node.caret else "") + body
    if isinstance(node, Near):
        inner = " ".join(render(Phrase(p.terms, p.caret), stemmed) for p in node.phrases)
        if node.distance is not None:
            inner += f", {node.distance}"
        return _columns_prefix(node.columns, node.negated_columns) + f"NEAR({inner})"
    return f" {node.op} ".join(f"({render(o, stemmed)})" if isinstance(o, BoolOp) else render(o, stemmed)
                               for o in node.operands)


def _is_exact(node) -> bool | None:
    """True when every leaf is exact, False when none is, None when the query mixes them."""
    if isinstance(node, (Phrase, Near)):
        return node.exact
    kinds = {_is_exact(o) for o in node.operands}
    return kinds.pop() if len(kinds) == 1 else None


# --- highlighting -------------------------------------------------------------------------------


@dataclass
class Highlight:
    """What to mark in a text: stems of plain words, exact (folded) words, prefixes."""

    stems: set[str] = field(default_factory=set)
    exact: set[str] = field(default_factory=set)
    prefixes: tuple[str, ...] = ()

    def matcher(self):
        """A :class:`pipelines.stem.Matcher` for these words (one per search: it remembers words)."""
        from .stem import Matcher

        return Matcher(self.stems, self.exact, self.prefixes)


def highlight_terms(node, *, all_exact: bool = False) -> Highlight:
    """The words a match of ``node`` shows, leaving out those only under ``NOT``.

    >>> h = highlight_terms(parse('kebanjiran "rob" NOT sentani'))
    >>> sorted(h.stems), sorted(h.exact)
    (['banjir'], ['rob'])
    """
    found = Highlight()
    prefixes: list[str] = []

    def visit(n) -> None:
        if isinstance(n, Near):
            for p in n.phrases:
                visit(p)
        elif isinstance(n, Phrase):
            for t in n.terms:
                parts = [fold(w) for w in words(t.text)]
                if t.prefix and parts:
                    found.exact.update(parts[:-1])
                    prefixes.append(parts[-1])
                elif t.quoted or all_exact or n.exact:
                    found.exact.update(parts)
                else:
                    found.stems.update(stem_word(w) for w in words(t.text))
        elif n.op == "NOT":
            visit(n.operands[0])
        else:
            for o in n.operands:
                visit(o)

    visit(node)
    found.prefixes = tuple(prefixes)
    return found


# --- compiling to SQL ---------------------------------------------------------------------------


@dataclass
class Plan:
    """How to run a query: the rowids it matches (``sql`` with ``params``) and how to rank them.

    ``table``/``match`` is the one FTS5 table and ``MATCH`` text when the query
    needs a single index; for a mixed query they rank the rows found by ``sql``
    (the stemmed index, all positive words).
    """

    sql: str
    params: list
    table: str
    match: str
    single: bool
    highlight: Highlight


def compile_query(node, *, exact: bool = False) -> Plan:
    """Plan ``node`` over the stemmed and exact indexes (``exact``: every word in its exact form).

    >>> plan = compile_query(parse("kebanjiran"))
    >>> plan.table, plan.match, plan.single
    ('articles_stem_fts', '"banjir"', True)
    >>> compile_query(parse('"harga beras" banjir')).sql.count("intersect")
    1
    """
    kind = True if exact else _is_exact(node)
    highlight = highlight_terms(node, all_exact=exact)
    if kind is not None:
        table = EXACT_TABLE if kind else STEM_TABLE
        match = render(node, stemmed=not kind)
        return Plan(f"select rowid from {table} where {table} match ?", [match], table, match, True, highlight)
    sql, params = _compile_mixed(node)
    # The rows are ranked by the stemmed index on a query that finds all of them: the
    # query itself in stems (a stem matches every exact form), or, when a NOT would
    # then exclude too much, any of its positive words.
    ranking = " OR ".join(_positive_leaves(node)) if _has_not(node) else render(node, stemmed=True)
    return Plan(sql, params, STEM_TABLE, ranking, False, highlight)


def _compile_mixed(node) -> tuple[str, list]:
    kind = _is_exact(node)
    if kind is not None:
        table = EXACT_TABLE if kind else STEM_TABLE
        return f"select rowid from {table} where {table} match ?", [render(node, stemmed=not kind)]
    parts = [_compile_mixed(o) for o in node.operands]
    joiner = {"AND": " intersect ", "OR": " union ", "NOT": " except "}[node.op]
    sql = joiner.join(f"select rowid from ({s})" for s, _ in parts)
    return sql, [p for _, params in parts for p in params]


def _has_not(node) -> bool:
    return isinstance(node, BoolOp) and (node.op == "NOT" or any(_has_not(o) for o in node.operands))


def _positive_leaves(node) -> list[str]:
    if isinstance(node, (Phrase, Near)):
        return [render(node, stemmed=True)]
    if node.op == "NOT":
        return _positive_leaves(node.operands[0])
    return [leaf for o in node.operands for leaf in _positive_leaves(o)]
