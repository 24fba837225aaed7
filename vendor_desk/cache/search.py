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

Character n-grams (:class:`Postings`). Even as C-level iterators, a substring test of every text
costs 12–35 ms for 100,000 orders, and the first letters of a word match nearly every order, so
the second letter is tested against all of them. Once :meth:`SearchIndex.start_postings` is
done, the index also holds for every character and every pair of adjacent characters of the
texts a bitmap of the texts holding it (a Python ``int``, bit ``i`` for text ``i``: 12.5 KB per
key for 100,000 orders, ≈ 1,000 keys, ≈ 13 MB). A word is then the ``&`` of its characters'
(one letter) or pairs' (two or more letters) bitmaps — exact for one or two letters, and a
superset for longer words, whose candidates are verified with the same substring test as before.
Building the bitmaps costs ≈ 5.5 s of CPU for 100,000 texts, all of it pure Python that would
hold the GIL of the window's process, so it runs in a child process (a fresh interpreter), fed
with the texts once; until it answers, and for good if it fails, searches scan the texts as
before. Shops of fewer than ``POSTINGS_MIN_ORDERS`` orders are always scanned.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import threading
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import add, contains
from typing import Any

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

#: Up to this many previous matches, refining them by substring tests (≈ 0.25 µs each) is
#: cheaper than reading the n-gram bitmaps' positions (≈ 3 ms for 100,000 orders).
_FEW = 10_000

#: A bitmap's bits as text ("0"/"1") to bytes 0/1 (what ``itertools.compress`` selects by), and
#: bytes 0/1 to text.
_BITS_TO_BYTES = bytes.maketrans(b"01", b"\x00\x01")
_BYTES_TO_BITS = bytes.maketrans(b"\x00\x01", b"01")


def _bitmap(flags: bytes | bytearray) -> int:
    """Bytes 0/1 (one per text) as a bitmap (bit ``i`` for text ``i``)."""
    return int(flags.translate(_BYTES_TO_BITS)[::-1], 2) if flags else 0


def ngram_keys(word: str) -> set[str]:
    """The n-gram keys a text must hold to hold ``word``: its letter if it has one, else its
    pairs of adjacent characters."""
    if len(word) == 1:
        return {word}
    return set(map(add, word, word[1:]))


def build_postings(texts: Sequence[str]) -> dict[str, int]:
    """For every character and every pair of adjacent characters of ``texts``, the bitmap of
    the texts holding it (bit ``i`` set for ``texts[i]``).

    Pure Python (≈ 55 µs per text of ≈ 120 characters); run it in a child process for many
    texts (:meth:`SearchIndex.start_postings`). Each key first gets one byte per text, set by
    C-level ``map`` calls, then the bytes become the bits of an ``int``.
    """
    count = len(texts)
    marks: defaultdict[str, bytearray] = defaultdict(lambda: bytearray(count))
    mark = bytearray.__setitem__
    for position, text in enumerate(texts):
        keys = set(text)
        keys.update(map(add, text, text[1:]))
        deque(map(mark, map(marks.__getitem__, keys), repeat(position), repeat(1)), maxlen=0)
    return {key: _bitmap(flags) for key, flags in marks.items()}


class Postings:
    """The n-gram bitmaps of a fixed list of texts (see :func:`build_postings`), and the bitmap
    of each status group's texts (``groups``: one group code per text, as the index holds)."""

    def __init__(self, bitmaps: dict[str, int], groups: bytes) -> None:
        self.count = count = len(groups)
        self._bitmaps = bitmaps
        self.every = (1 << count) - 1
        self.groups = [
            _bitmap(groups.translate(bytes(int(byte == code) for byte in range(256))))
            for code in range(len(_GROUPS))
        ]

    def candidates(self, words: Iterable[str]) -> int:
        """The bitmap of the texts holding every n-gram of every word (a superset of the texts
        holding the words; exact for words of one or two characters)."""
        bitmaps = self._bitmaps
        mask = self.every
        for word in words:
            for key in ngram_keys(word):
                mask &= bitmaps.get(key, 0)
                if not mask:
                    return 0
        return mask

    def flags(self, mask: int) -> bytes:
        """``mask`` as one byte 0/1 per text (what ``itertools.compress`` selects by)."""
        return format(mask, f"0{self.count}b")[::-1].encode("ascii").translate(_BITS_TO_BYTES)

    def positions(self, mask: int) -> Sequence[int]:
        """The set bits of ``mask``, in increasing order (a ``range`` when all are set)."""
        if mask == self.every:
            return range(self.count)
        return list(compress(range(self.count), self.flags(mask)))


def postings_child() -> None:
    """The child process's work (see :meth:`SearchIndex.start_postings`): read the pickled
    texts from stdin, write their pickled bitmaps to stdout. If the window's process went away
    meanwhile (its end of the pipe is closed), end quietly. It runs at a low CPU priority: on a
    busy machine the window comes first."""
    try:
        os.nice(10)
        texts = pickle.load(sys.stdin.buffer)
        pickle.dump(build_postings(texts), sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
        sys.stdout.buffer.flush()
    except (BrokenPipeError, EOFError):
        os._exit(1)


#: What the child process runs: only this module and the standard library are imported.
_CHILD_CODE = "from vendor_desk.cache.search import postings_child; postings_child()"


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
    """The set bits of an n-gram bitmap as indexes, listed only when first read."""

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
        #: The texts' n-gram bitmaps once built (searches scan the texts until then), and the
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
        """Whether searches use the n-gram bitmaps (else they scan every text)."""
        return self._postings is not None

    def use_postings(self, bitmaps: dict[str, int]) -> None:
        """Search with these bitmaps of this index's texts (from :func:`build_postings`)."""
        self._postings = Postings(bitmaps, self._groups)

    def start_postings(self, min_orders: int = POSTINGS_MIN_ORDERS) -> threading.Thread | None:
        """Build the n-gram bitmaps in a child process; searches use them once they arrive.

        The child is a fresh interpreter (``python -c``, this package importable as in this
        process) that reads the pickled texts from its stdin and writes the pickled bitmaps to
        its stdout: no ``fork`` of a process running Qt threads, and unlike ``multiprocessing``
        it never runs the application's main module again. A daemon thread sends the texts,
        waits for the answer and installs it; if the child fails, the index keeps scanning
        (logged). :meth:`close` stops a build still running. Returns that thread (``None`` if
        there is nothing to build: fewer than ``min_orders`` orders, or already started).
        """
        if self._closed or self._builder is not None or self._postings is not None:
            return None
        if len(self._texts) < max(min_orders, 2):
            return None
        if getattr(sys, "frozen", False):
            # In a frozen build sys.executable is the app itself, not a Python interpreter:
            # never start it as a helper (the scan serves every search there).
            return None
        package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        try:
            builder = subprocess.Popen(
                [sys.executable, "-c", _CHILD_CODE],
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
                    bitmaps = pickle.load(builder.stdout)
            except (EOFError, OSError, pickle.UnpicklingError) as error:
                if not self._closed:
                    log.warning("search n-grams not built, searches scan the texts: %r", error)
                return
            finally:
                if builder.poll() is None and self._closed:
                    builder.kill()
                builder.wait()
            if not self._closed:
                self.use_postings(bitmaps)

        thread = threading.Thread(target=exchange, name="vendor-desk-ngrams", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        """Stop a build of the n-gram bitmaps still running (the index is no longer used)."""
        self._closed = True
        builder = self._builder
        if builder is not None and builder.poll() is None:
            builder.kill()

    def _rows_with(self, words: list[str]) -> _Hits:
        """The orders whose texts hold every word, in index (date) order.

        Typing refines a search: when each word of the previous search is part of one of the new
        words ("sat" -> "sato", "mug" -> "mug blue"), every new match was an old match, so only
        the old matches are tested again. Each keystroke past the first letters gets cheaper.
        With the n-gram bitmaps, a search that does not refine a few previous matches starts
        from the texts holding every n-gram of the words instead of every text.
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
        if previous is not None and refines and (postings is None or len(previous.rows) < _FEW):
            rows = previous.rows
        elif postings is not None:
            # The n-grams give every match of one- and two-letter words (the bitmap is exact);
            # longer words are verified on those candidates.
            mask = postings.candidates(words)
            words = [word for word in words if len(word) > 2]
            if not words and mask != postings.every:
                if previous is not None and refines and mask.bit_count() == len(previous.rows):
                    self._previous = _Hits(key, previous.rows, previous.mask)
                else:
                    self._previous = _Hits(key, _MaskRows(postings, mask), mask)
                return self._previous
            rows = postings.positions(mask)
        else:
            rows = range(len(texts))
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
