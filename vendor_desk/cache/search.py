"""An in-memory search index for the order list: what one keystroke needs, in a few milliseconds.

Even the narrow ``order_search`` table (migration 0003) costs a full scan per keystroke: about
45 ms for 100,000 orders, twice per keystroke (filter counts, then the page). This index holds the
same data in memory — every order's id, status group and case-folded search text, newest first —
and answers a search with one pass of Python's substring test that yields both the group counts
and the matching ids in date order. The list then reads only the rows it shows, by primary key.

Where the time goes, and why the code looks the way it does: a Python-level loop over 100,000
orders costs 5–10 ms per loop *step kind* (a list comprehension with one ``in`` test is ≈ 20 ms
on a busy machine), and the first letter of a word matches nearly every order. So every pass
over the orders is written as a chain of C-level iterators (``map``/``compress`` over
``operator.contains`` and ``list.__getitem__``) without Python bytecode per order, and the
status groups are one byte per order so that counting them is ``bytes.count``. Typing refines
the previous matches (only they are tested again), and when a keystroke leaves the matches as
they were ("@e" → "@ex" when every order has an e-mail) the previous result is reused as is.

It is a read-only copy: build it with :meth:`SearchIndex.load` and build it again after the cache
changed (the order list does so after every sync). About 200 bytes per order.

Postings (:class:`Postings`, :func:`build_postings`). Even as C-level iterators, a substring
test costs ≈ 0.2 µs per text (16–19 ms for 100,000 orders), so once
:meth:`SearchIndex.start_postings` is done, searches are answered from an index of *keys*, each
with the set of texts holding it:

* every character, every pair and every triple of adjacent characters (trigram) of the texts.
  Keys holding whitespace are left out: a search word never holds any (``search_words`` splits
  on whitespace as ``str.split`` does), so no search reads them. A word of one, two or three
  characters is its own key: its texts are exact, no text is tested (but typing still
  refines fewer than ``_FEW_SHARE`` of the texts by substring tests, cheaper still).
* the *frequent substrings*: every substring of four or more characters (no whitespace) held by
  at least ``FREQUENT_SHARE`` (a quarter) of the texts — "@example", "@gmail.com", "jacket" —
  also exact. They are found level by level: an n-gram of length k+1 can only be frequent if
  both its k-character ends are, so the candidates are the frequent k-grams extended by one
  character, tested on the texts holding both ends. A build tests at most
  ``_FREQUENT_TESTS_PER_TEXT`` texts per text in all (it stops there, shorter ones first), so a
  shop whose every order repeats a long string cannot make the build slow.
* any other word of four or more characters: the texts holding all its trigrams are
  candidates, each tested with the substring test (few, unless the word is frequent — then it
  usually is a frequent substring), or the previous matches when typing refines them and
  they are fewer.

A key held by many texts (``DENSE_SHARE``, 1/32 of them, or more) keeps its texts as a bitmap
(a Python ``int``, bit ``i`` for text ``i``: n/8 bytes whatever the count, and ``&`` at C speed);
a rarer key keeps their sorted positions (``array('I')``, 4 bytes per text) — 1/32 is where both
cost the same, so each key costs the lesser of the two. A search ``&``s the bitmaps of its keys;
if any key is sparse the matches are few, so it intersects positions instead and keeps those
whose bit is set in the ``&`` of the dense keys. Measured for 100,000 benchmark orders
(≈ 118 characters each, on a slow, busy 2-core machine): ≈ 3,800 keys of up to three
characters and ≈ 95 frequent substrings, ≈ 22 MB in the window's process (≈ 8 MB of bitmaps,
≈ 13 MB of positions); the pickle sent over is ≈ 21 MB. A search pass (``bench_search.py``) is
≤ 3 ms for every keystroke of the benchmark's typing but "#1234" (≈ 13 ms): "1234" is held by
19% of the orders, fewer than ``FREQUENT_SHARE``, so its ≈ 19,500 candidates are tested. (A
share of 1/8 would make it a key too, but makes 335 frequent substrings in ≈ 4 s instead of 95
in ≈ 1.7 s.)

Building them costs ≈ 7 s of CPU for 100,000 texts (7–10 s on this busy machine, ≈ 160 MB at
the peak; the bitmaps of characters and pairs alone took ≈ 5.5 s): ≈ 3.5 s collecting every
text's keys (a text's keys are the union of its whitespace-separated tokens' keys, cached per
token since names, SKUs and product words repeat), ≈ 1.3 s making the bitmaps of the frequent
keys, ≈ 1.7 s finding the frequent substrings. It is all pure Python that would hold the GIL of
the window's process, so it runs in a child process (a fresh interpreter; in a frozen build the
app itself started with ``--search-postings-child``), fed with the texts once; until it answers,
and for good if it fails, searches scan the texts as before. Shops of fewer than
``POSTINGS_MIN_ORDERS`` orders are always scanned.
"""

from __future__ import annotations

import gc
import logging
import math
import os
import pickle
import subprocess
import sys
import threading
from array import array
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import add, contains, not_
from typing import Any, TypeAlias

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendor_desk.cache.models import OrderSearchRecord
from vendor_desk.cache.queries import STATUS_GROUPS, search_words

#: The status groups an order can be in ("all" is every order), and the byte coding each.
_GROUPS = tuple(group for group in STATUS_GROUPS if group != "all")
_CODES = {group: code for code, group in enumerate(_GROUPS)}
#: The code of an order in none of the groups (counted in "all" only).
_NO_GROUP = len(_GROUPS)

log = logging.getLogger("vendor_desk.cache.search")

#: Fewer orders than this are always scanned (≤ 5 ms): no child process is started for them.
POSTINGS_MIN_ORDERS = 20_000

#: A key held by at least this share of the texts keeps them as a bitmap (n/8 bytes), a rarer
#: one as positions (4 bytes each): at 1/32 both cost the same.
DENSE_SHARE = 1 / 32
#: Substrings of four or more characters held by at least this share of the texts are keys too.
FREQUENT_SHARE = 1 / 4
#: Finding the frequent substrings tests at most this many texts per text (the benchmark's
#: 100,000 orders need ≈ 67 per text: 95 substrings, ≈ 1.7 s).
_FREQUENT_TESTS_PER_TEXT = 100

#: Refining previous matches fewer than this share of the texts (≤ 0.6 ms for 100,000) by
#: substring tests costs less than intersecting the postings of the new words.
_FEW_SHARE = 1 / 32

#: A key's texts: a bitmap (bit ``i`` set for text ``i``) or their positions, in increasing order.
Posting: TypeAlias = "int | array[int]"

#: A bitmap's bits as text ("0"/"1") to bytes 0/1 (what ``itertools.compress`` selects by), and
#: bytes 0/1 to text.
_BITS_TO_BYTES = bytes.maketrans(b"01", b"\x00\x01")
_BYTES_TO_BITS = bytes.maketrans(b"\x00\x01", b"01")


def _bitmap(flags: bytes | bytearray) -> int:
    """Bytes 0/1 (one per text) as a bitmap (bit ``i`` for text ``i``)."""
    return int(flags.translate(_BYTES_TO_BITS)[::-1], 2) if flags else 0


def _bitmap_of(positions: Iterable[int], count: int) -> int:
    """The bitmap of these positions among ``count`` texts."""
    flags = bytearray(count)
    deque(map(flags.__setitem__, positions, repeat(1)), maxlen=0)
    return _bitmap(flags)


def _flags(mask: int, count: int) -> bytes:
    """``mask`` as one byte 0/1 per text (≈ 0.2 ms for 100,000 texts)."""
    return format(mask, f"0{count}b")[::-1].encode("ascii").translate(_BITS_TO_BYTES)


def _positions(mask: int, count: int) -> Sequence[int]:
    """The set bits of ``mask``, in increasing order (a ``range`` when all are set; else ≈ 2–4 ms
    for 100,000 texts)."""
    if mask == (1 << count) - 1:
        return range(count)
    return list(compress(range(count), _flags(mask, count)))


def ngram_keys(word: str) -> set[str]:
    """The keys a text must hold to hold ``word``: the word itself up to three characters (then
    the key's texts are exactly the word's), else its trigrams (a superset of the word's)."""
    if len(word) <= 3:
        return {word}
    return set(map(add, map(add, word, word[1:]), word[2:]))


class _TokenKeys(dict[str, tuple[str, ...]]):
    """A token's (whitespace-free piece of text's) characters, pairs and trigrams, computed once
    per distinct token. The keys are interned, so that the cache holds one string per key; it is
    emptied when it grows past ``limit`` tokens (≈ 0.5 KB each), to bound the memory."""

    def __init__(self, limit: int = 100_000) -> None:
        super().__init__()
        self._limit = limit

    def __missing__(self, token: str) -> tuple[str, ...]:
        pairs = list(map(add, token, token[1:]))
        keys = set(token)
        keys.update(pairs)
        keys.update(map(add, pairs, token[2:]))
        if len(self) >= self._limit:
            self.clear()
        self[token] = found = tuple(map(sys.intern, keys))
        return found


def _key_positions(texts: Sequence[str]) -> dict[str, array[int]]:
    """For every character, pair and trigram of ``texts`` without whitespace, the positions of
    the texts holding it, in increasing order (≈ 40 µs per text of ≈ 120 characters).

    Since no key holds whitespace, a text's keys are the union of its tokens' keys; tokens
    repeat (names, SKUs, product words), so their keys are cached. The positions are appended
    by C-level ``map`` calls, one per key of the text.
    """
    positions: defaultdict[str, array[int]] = defaultdict(lambda: array("I"))
    append = array.append
    keys_of = _TokenKeys().__getitem__
    for position, text in enumerate(texts):
        keys = set().union(*map(keys_of, text.split()))
        deque(map(append, map(positions.__getitem__, keys), repeat(position)), maxlen=0)
    return positions


def _frequent_substrings(
    texts: Sequence[str], trigrams: dict[str, int], minimum: int, budget: int
) -> dict[str, int]:
    """The bitmaps of the substrings of four or more characters held by ``minimum`` texts or
    more, given the bitmaps of the trigrams held by that many. Level by level: a (k+1)-gram is a
    candidate when both its k-character ends are frequent, then tested on the texts holding both
    ends. Stops once ``budget`` texts were tested (shorter substrings come first)."""
    count = len(texts)
    level = trigrams
    found: dict[str, int] = {}
    while level:
        following: defaultdict[str, list[str]] = defaultdict(list)
        for ngram in level:
            following[ngram[:-1]].append(ngram)
        longer: dict[str, int] = {}
        for ngram, bits in level.items():
            for end in following.get(ngram[1:], ()):
                both = bits & level[end]
                if both.bit_count() < minimum:
                    continue  # too few texts hold both ends
                if budget <= 0:
                    return found | longer
                longest = ngram + end[-1]
                rows = _positions(both, count)
                budget -= len(rows)
                held = bytes(map(contains, map(texts.__getitem__, rows), repeat(longest)))
                if held.count(1) >= minimum:
                    # Usually nearly every text holding both ends holds the n-gram: unset the
                    # bits of those that don't (fewer bits to set).
                    lacking = compress(rows, map(not_, held))
                    longer[longest] = both & ~_bitmap_of(lacking, count)
        found.update(longer)
        level = longer
    return found


def build_postings(
    texts: Sequence[str],
    *,
    dense_share: float = DENSE_SHARE,
    frequent_share: float = FREQUENT_SHARE,
) -> dict[str, Posting]:
    """The texts of every key of ``texts`` (see the module documentation): a bitmap for keys held
    by ``dense_share`` of the texts or more, else their positions; with the frequent substrings
    (held by ``frequent_share`` of the texts, and never fewer than ``dense_share``: they are
    always bitmaps).

    Pure Python (≈ 70 µs per text of ≈ 120 characters); run it in a child process for many
    texts (:meth:`SearchIndex.start_postings`).
    """
    count = len(texts)
    dense_min = max(1, math.ceil(count * dense_share))
    positions = _key_positions(texts)
    postings: dict[str, Posting] = {}
    for key in list(positions):
        found = positions.pop(key)  # freed as it goes: the build's peak memory stays lower
        postings[key] = _bitmap_of(found, count) if len(found) >= dense_min else found
    frequent_min = max(dense_min, math.ceil(count * frequent_share))
    trigrams = {
        key: bits
        for key, bits in postings.items()
        if len(key) == 3 and isinstance(bits, int) and bits.bit_count() >= frequent_min
    }
    budget = count * _FREQUENT_TESTS_PER_TEXT
    postings.update(_frequent_substrings(texts, trigrams, frequent_min, budget))
    return postings


class Postings:
    """The keys of a fixed list of texts (see :func:`build_postings`), and the bitmap of each
    status group's texts (``groups``: one group code per text, as the index holds)."""

    def __init__(self, keys: dict[str, Posting], groups: bytes) -> None:
        self.count = count = len(groups)
        self._keys = keys
        self.every = (1 << count) - 1
        self.groups = [
            _bitmap(groups.translate(bytes(int(byte == code) for byte in range(256))))
            for code in range(len(_GROUPS))
        ]

    def candidates(self, words: Iterable[str]) -> tuple[int | list[int], list[str]]:
        """The texts that may hold every word — a bitmap, or positions in increasing order when
        a sparse key made them few —, and the words still to test on them (those of four or
        more characters that are no key). The rest is exact: a text holds those words if and
        only if it is a candidate."""
        keys = self._keys
        mask = self.every
        sparse: list[array[int]] = []
        untested: list[str] = []
        for word in words:
            exact = keys.get(word)
            if exact is not None:
                needed: list[Posting] = [exact]
            elif len(word) <= 3:
                return [], []  # no text holds it
            else:
                needed = list(map(keys.get, ngram_keys(word)))  # type: ignore[arg-type]
                if None in needed:
                    return [], []
                untested.append(word)
            for posting in needed:
                if isinstance(posting, int):
                    mask &= posting
                else:
                    sparse.append(posting)
        if not sparse:
            return mask, untested
        # Few candidates: intersect positions (rarest first), then keep those in the mask.
        sparse.sort(key=len)
        if len(sparse) == 1:
            rows = list(sparse[0])
        else:
            common = set(sparse[0])
            for positions in sparse[1:]:
                common.intersection_update(positions)
            rows = sorted(common)
        if rows and mask != self.every:
            flags = self.flags(mask)
            rows = list(compress(rows, map(flags.__getitem__, rows)))
        return rows, untested

    def flags(self, mask: int) -> bytes:
        """``mask`` as one byte 0/1 per text (what ``itertools.compress`` selects by)."""
        return _flags(mask, self.count)

    def positions(self, mask: int) -> Sequence[int]:
        """The set bits of ``mask``, in increasing order (a ``range`` when all are set)."""
        return _positions(mask, self.count)


def postings_child() -> None:
    """The child process's work (see :meth:`SearchIndex.start_postings`): read the pickled
    texts from stdin, write their pickled postings to stdout. If the window's process went away
    meanwhile (its end of the pipe is closed), end quietly. It runs at a low CPU priority: on a
    busy machine the window comes first. The build makes no reference cycles, so the cyclic
    garbage collector (which would walk its millions of objects again and again) is off."""
    try:
        if hasattr(os, "nice"):  # not on Windows
            os.nice(10)
        gc.disable()
        # The pipes themselves: a windowed frozen app may have no sys.stdin / sys.stdout.
        with os.fdopen(0, "rb", closefd=False) as source:
            texts = pickle.load(source)
        with os.fdopen(1, "wb", closefd=False) as sink:
            pickle.dump(build_postings(texts), sink, protocol=pickle.HIGHEST_PROTOCOL)
    except (BrokenPipeError, EOFError):
        os._exit(1)


#: What the child process runs: only this module and the standard library are imported.
_CHILD_CODE = "from vendor_desk.cache.search import postings_child; postings_child()"
#: In a frozen build ``sys.executable`` is the app, not a Python interpreter: the child is the
#: app started with this argument, which its launcher (``packaging/launcher.py``) hands to
#: :func:`postings_child` before anything else is imported.
POSTINGS_CHILD_ARGUMENT = "--search-postings-child"


def postings_child_command() -> list[str]:
    """The command that starts the child process (see :meth:`SearchIndex.start_postings`)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, POSTINGS_CHILD_ARGUMENT]
    return [sys.executable, "-c", _CHILD_CODE]


@dataclass(frozen=True)
class SearchMatch:
    """The orders matching a search in one status group, newest first, and the count of every
    group for the same search ("all" included). ``order_ids`` may be shared with the index's
    next answer for the same matches: read it, don't change it."""

    order_ids: list[int]
    group_counts: dict[str, int]


@dataclass(frozen=True)
class _Hits:
    """Indexes (in date order) of the orders holding every word of a search, and their bitmap
    when it is known (then ``match`` counts and selects with it instead of the indexes)."""

    words: tuple[str, ...]
    rows: Sequence[int]
    mask: int | None = None


class _MaskRows(Sequence[int]):
    """The set bits of a postings bitmap as indexes, listed only when first read."""

    def __init__(self, postings: Postings, mask: int) -> None:
        self._postings = postings
        self._mask = mask
        self._count = mask.bit_count()
        self._rows: Sequence[int] | None = None

    def _listed(self) -> Sequence[int]:
        if self._rows is None:
            self._rows = self._postings.positions(self._mask)
        return self._rows

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        return self._listed()[index]

    def __iter__(self) -> Iterator[int]:
        return iter(self._listed())


class SearchIndex:
    """Search text of one account's orders, newest first (see the module documentation)."""

    def __init__(self, account_id: int) -> None:
        self.account_id = account_id
        self._ids: list[int] = []
        #: One byte per order: its status group's code (``_CODES``).
        self._groups = b""
        self._texts: list[str] = []
        #: The last search's matches (see _rows_with) and the last answer given for them.
        self._previous: _Hits | None = None
        self._answered: tuple[_Hits, str, bool, SearchMatch] | None = None
        #: The texts' postings once built (searches scan the texts until then), and the
        #: child process building them.
        self._postings: Postings | None = None
        self._builder: subprocess.Popen[bytes] | None = None
        self._closed = False

    @classmethod
    def load(cls, session: Session, account_id: int) -> SearchIndex:
        index = cls(account_id)
        statement = (
            select(
                OrderSearchRecord.order_id,
                OrderSearchRecord.status_group,
                OrderSearchRecord.search_text,
            )
            .where(OrderSearchRecord.account_id == account_id)
            .order_by(OrderSearchRecord.created.desc(), OrderSearchRecord.order_id.desc())
        )
        rows = session.execute(statement).all()
        if rows:
            ids, groups, texts = zip(*rows, strict=True)
            index._ids, index._texts = list(ids), list(texts)
            index._groups = bytes(_CODES.get(group, _NO_GROUP) for group in groups)
        return index

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def postings_ready(self) -> bool:
        """Whether searches use the postings (else they scan every text)."""
        return self._postings is not None

    def use_postings(self, keys: dict[str, Posting]) -> None:
        """Search with these postings of this index's texts (from :func:`build_postings`)."""
        self._postings = Postings(keys, self._groups)

    def start_postings(self, min_orders: int = POSTINGS_MIN_ORDERS) -> threading.Thread | None:
        """Build the postings in a child process; searches use them once they arrive.

        The child is a fresh interpreter (``python -c``, this package importable as in this
        process; in a frozen build the app itself with :data:`POSTINGS_CHILD_ARGUMENT`) that
        reads the pickled texts from its stdin and writes the pickled postings to its stdout: no
        ``fork`` of a process running Qt threads, and unlike ``multiprocessing`` it never runs
        the application's main module again. A daemon thread sends the texts,
        waits for the answer and installs it; if the child fails, the index keeps scanning
        (logged). :meth:`close` stops a build still running. Returns that thread (``None`` if
        there is nothing to build: fewer than ``min_orders`` orders, or already started).
        """
        if self._closed or self._builder is not None or self._postings is not None:
            return None
        if len(self._texts) < max(min_orders, 2):
            return None
        package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        try:
            builder = subprocess.Popen(
                postings_child_command(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
            )
        except OSError as error:
            log.warning("search n-grams not built, searches scan the texts: %r", error)
            return None
        self._builder = builder
        texts = self._texts

        def exchange() -> None:
            assert builder.stdin is not None and builder.stdout is not None
            try:
                with builder.stdin:
                    pickle.dump(texts, builder.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                with builder.stdout:
                    keys = pickle.load(builder.stdout)
            except (EOFError, OSError, pickle.UnpicklingError) as error:
                if not self._closed:
                    log.warning("search n-grams not built, searches scan the texts: %r", error)
                return
            finally:
                if builder.poll() is None and self._closed:
                    builder.kill()
                builder.wait()
            if not self._closed:
                self.use_postings(keys)

        thread = threading.Thread(target=exchange, name="vendor-desk-ngrams", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        """Stop a build of the postings still running (the index is no longer used)."""
        self._closed = True
        builder = self._builder
        if builder is not None and builder.poll() is None:
            builder.kill()

    def _rows_with(self, words: list[str]) -> _Hits:
        """The orders whose texts hold every word, in index (date) order.

        Typing refines a search: when each word of the previous search is part of one of the new
        words ("sat" -> "sato", "mug" -> "mug blue"), every new match was an old match, so only
        the old matches are tested again (for the new words). Each keystroke past the first
        letters gets cheaper. With the postings, a few previous matches are still refined so;
        else words that are keys are answered without any test, and the others are tested on
        their candidates, or on the previous matches if those are fewer.
        """
        texts = self._texts
        previous = self._previous
        key = tuple(words)
        if previous is not None and previous.words == key:
            return previous
        refines = previous is not None and all(
            any(old in new for new in words) for old in previous.words
        )
        rows: Sequence[int]
        postings = self._postings
        if postings is None or (
            previous is not None and refines and len(previous.rows) < len(texts) * _FEW_SHARE
        ):
            rows = previous.rows if previous is not None and refines else range(len(texts))
        else:
            found, untested = postings.candidates(words)
            candidates = found.bit_count() if isinstance(found, int) else len(found)
            if untested and previous is not None and refines and len(previous.rows) < candidates:
                rows = previous.rows
            elif isinstance(found, int):
                if not untested and found != postings.every:
                    # Exact, and counted and selected by the bitmap in match().
                    if previous is not None and refines and candidates == len(previous.rows):
                        self._previous = _Hits(key, previous.rows, previous.mask)
                    else:
                        self._previous = _Hits(key, _MaskRows(postings, found), found)
                    return self._previous
                rows = postings.positions(found)
                words = untested
            else:
                rows = found
                words = untested
        if previous is not None and rows is previous.rows:
            # The previous matches hold the previous words: test the new ones only.
            words = [word for word in words if word not in previous.words]
        # The longest word first (usually the rarest), then narrow down word by word.
        for word in sorted(words, key=len, reverse=True):
            if isinstance(rows, range):
                held = map(contains, texts, repeat(word))
            else:
                held = map(contains, map(texts.__getitem__, rows), repeat(word))
            narrowed = list(compress(rows, held))
            if len(narrowed) < len(rows):
                rows = narrowed
        if previous is not None and refines and len(rows) == len(previous.rows):
            rows = previous.rows  # the same matches: the previous answer can be reused
        self._previous = _Hits(key, rows)
        return self._previous

    def match(self, search: str, group: str = "all", *, descending: bool = True) -> SearchMatch:
        """Orders whose search text holds every word of ``search`` (as ``queries`` matches)."""
        if group not in STATUS_GROUPS:
            raise ValueError(f"unknown status group {group!r}")
        words = search_words(search)
        hits = self._rows_with(words) if words else _Hits((), range(len(self._texts)))
        answered = self._answered
        if (
            answered is not None
            and answered[0].rows is hits.rows
            and answered[1:3] == (group, descending)
        ):
            return answered[3]
        rows = hits.rows
        ids = self._ids
        postings = self._postings
        if hits.mask is not None and postings is not None:
            # Counted and selected by bitmaps: no list of the matching indexes is needed.
            counts = {
                name: (hits.mask & postings.groups[_CODES[name]]).bit_count() for name in _GROUPS
            }
            counts["all"] = len(rows)
            mask = hits.mask if group == "all" else hits.mask & postings.groups[_CODES[group]]
            order_ids = list(compress(ids, postings.flags(mask)))
            if not descending:
                order_ids.reverse()
            result = SearchMatch(order_ids, counts)
            self._answered = (hits, group, descending, result)
            return result
        if isinstance(rows, range):
            groups, matched = self._groups, ids
        else:
            groups = bytes(map(self._groups.__getitem__, rows))
            matched = list(map(ids.__getitem__, rows))
        counts = {name: groups.count(_CODES[name]) for name in _GROUPS}
        counts["all"] = len(rows)
        if group == "all":
            order_ids = list(matched) if matched is ids else matched
        else:
            order_ids = list(compress(matched, map(_CODES[group].__eq__, groups)))
        if not descending:
            order_ids.reverse()
        result = SearchMatch(order_ids, counts)
        self._answered = (hits, group, descending, result)
        return result
