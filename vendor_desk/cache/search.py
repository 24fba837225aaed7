"""An in-memory search index for the order list: what one keystroke needs, in a few milliseconds.

Even the narrow ``order_search`` table (migration 0003) costs a full scan per keystroke: about
45 ms for 100,000 orders, twice per keystroke (filter counts, then the page). This index holds the
same data in memory — every order's id, status group and case-folded search text, newest first —
and answers a search with one pass of Python's substring test (about 20 ms for 100,000 orders)
that yields both the group counts and the matching ids in date order. The list then reads only
the rows it shows, by primary key.

It is a read-only copy: build it with :meth:`SearchIndex.load` and build it again after the cache
changed (the order list does so after every sync). About 200 bytes per order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendor_desk.cache.models import OrderSearchRecord
from vendor_desk.cache.queries import STATUS_GROUPS, search_words


@dataclass(frozen=True)
class SearchMatch:
    """The orders matching a search in one status group, newest first, and the count of every
    group for the same search ("all" included)."""

    order_ids: list[int]
    group_counts: dict[str, int]


class SearchIndex:
    """Search text of one account's orders, newest first (see the module documentation)."""

    def __init__(self, account_id: int) -> None:
        self.account_id = account_id
        self._ids: list[int] = []
        self._groups: list[str] = []
        self._texts: list[str] = []
        #: The last search's words and matching indexes (see _rows_with).
        self._previous: tuple[list[str], list[int]] | None = None

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
            index._ids, index._groups, index._texts = list(ids), list(groups), list(texts)
        return index

    def __len__(self) -> int:
        return len(self._ids)

    def _rows_with(self, words: list[str]) -> list[int]:
        """Indexes of the texts holding every word, in index (date) order.

        Typing refines a search: when each word of the previous search is part of one of the new
        words ("sat" -> "sato", "mug" -> "mug blue"), every new match was an old match, so only
        the old matches are tested again. Each keystroke past the first letters gets cheaper.
        """
        texts = self._texts
        previous = self._previous
        if previous is not None and all(any(old in new for new in words) for old in previous[0]):
            candidates: Sequence[int] = previous[1]
        else:
            candidates = range(len(texts))
        # The longest word first (usually the rarest), then narrow down word by word.
        first, *others = sorted(words, key=len, reverse=True)
        found = [i for i in candidates if first in texts[i]]
        for word in others:
            found = [i for i in found if word in texts[i]]
        self._previous = (words, found)
        return found

    def match(self, search: str, group: str = "all", *, descending: bool = True) -> SearchMatch:
        """Orders whose search text holds every word of ``search`` (as ``queries`` matches)."""
        if group not in STATUS_GROUPS:
            raise ValueError(f"unknown status group {group!r}")
        words = search_words(search)
        hits: Sequence[int] = self._rows_with(words) if words else range(len(self._texts))
        groups = self._groups
        counted = Counter(map(groups.__getitem__, hits))
        counts = {name: counted.get(name, 0) for name in STATUS_GROUPS}
        counts["all"] = len(hits)
        ids = self._ids
        if group == "all":
            order_ids = [ids[i] for i in hits]
        else:
            order_ids = [ids[i] for i in hits if groups[i] == group]
        if not descending:
            order_ids.reverse()
        return SearchMatch(order_ids, counts)
