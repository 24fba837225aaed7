"""The narrow search table (migration 0003) stays in step with the orders table."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, func, select, update

from tests.sync.conftest import Env, make_env
from vendor_desk.cache import OrderQuery, count_orders, fetch_rows, group_counts
from vendor_desk.cache.models import OrderRecord, OrderSearchRecord


def matching(env: Env, search: str, sort: str = "date") -> set[int]:
    with env.cache.session() as session:
        query = OrderQuery(env.account_id, search=search, sort=sort)
        found = {row.order_id for row in fetch_rows(session, query, 0, 10_000)}
        assert count_orders(session, query) == len(found)
        assert group_counts(session, env.account_id, search)["all"] == len(found)
        return found


def test_search_table_follows_inserts_updates_and_deletes(tmp_path: Path) -> None:
    for env in make_env(tmp_path, orders=60, seed=2):
        env.syncer().sync()
        with env.cache.session() as session:
            order_id = session.scalars(
                select(OrderRecord.order_id)
                .where(OrderRecord.account_id == env.account_id)
                .order_by(OrderRecord.order_id)
                .limit(1)
            ).one()
            indexed = session.scalar(select(func.count()).select_from(OrderSearchRecord))
            stored = session.scalar(select(func.count()).select_from(OrderRecord))
        assert indexed == stored and stored > 0

        key = (OrderRecord.account_id == env.account_id, OrderRecord.order_id == order_id)
        with env.cache.session() as session:
            session.execute(update(OrderRecord).where(*key).values(search_text="zanzibar_50% off"))
        for sort in ("date", "customer"):
            assert matching(env, "zanzibar", sort) == {order_id}
        assert matching(env, "r_5") == {order_id}  # "_" and "%" are plain characters
        assert matching(env, "50%") == {order_id}
        assert matching(env, "5_%") == set()
        assert matching(env, "ZANZIBAR OFF") == {order_id}
        assert matching(env, "zanzibar nowhere") == set()

        with env.cache.session() as session:
            session.execute(update(OrderRecord).where(*key).values(status_group="closed"))
        with env.cache.session() as session:
            closed = OrderQuery(env.account_id, group="closed", search="zanzibar")
            assert count_orders(session, closed) == 1
            assert group_counts(session, env.account_id, "zanzibar")["closed"] == 1

        with env.cache.session() as session:
            session.execute(update(OrderRecord).where(*key).values(search_text="somewhere else"))
        assert matching(env, "zanzibar") == set()

        with env.cache.session() as session:
            session.execute(delete(OrderRecord).where(*key))
            left = session.scalar(
                select(func.count())
                .select_from(OrderSearchRecord)
                .where(OrderSearchRecord.order_id == order_id)
            )
        assert left == 0


def test_in_memory_index_agrees_with_the_sql_search(tmp_path: Path) -> None:
    from vendor_desk.cache import STATUS_GROUPS
    from vendor_desk.cache.search import SearchIndex

    for env in make_env(tmp_path, orders=300, seed=7):
        env.syncer().sync()
        with env.cache.session() as session:
            index = SearchIndex.load(session, env.account_id)
            sample = fetch_rows(session, OrderQuery(env.account_id), 0, 5)
            assert len(index) == count_orders(session, OrderQuery(env.account_id))
            # "#" and "  " hold no word: the order list asks the index for them too.
            terms = ["", "#", "  ", "a", "#" + sample[0].number, sample[1].customer.split()[0]]
            terms += ["zzqx"]
            terms += [f"{sample[2].customer.split()[0]} {sample[2].number}"]
            for term in terms:
                expected_counts = group_counts(session, env.account_id, term)
                for group in STATUS_GROUPS:
                    for descending in (True, False):
                        query = OrderQuery(
                            env.account_id, group=group, search=term, descending=descending
                        )
                        expected = [row.order_id for row in fetch_rows(session, query, 0, 10**6)]
                        match = index.match(term, group, descending=descending)
                        assert match.order_ids == expected, (term, group, descending)
                        assert match.group_counts == expected_counts, term


def test_typing_refines_the_previous_search_without_losing_matches(tmp_path: Path) -> None:
    from vendor_desk.cache.search import SearchIndex

    for env in make_env(tmp_path, orders=300, seed=11):
        env.syncer().sync()
        with env.cache.session() as session:
            index = SearchIndex.load(session, env.account_id)
            customer = fetch_rows(session, OrderQuery(env.account_id), 0, 1)[0].customer
            word = customer.split()[0].casefold()
            # Type a word, widen it again, type a second word, then an unrelated one.
            typed = [word[:n] for n in range(1, len(word) + 1)]
            typed += [word[:2], f"{word} a", f"{word} an", "e", "ex", "xe"]
            for term in typed:
                query = OrderQuery(env.account_id, search=term)
                expected = [row.order_id for row in fetch_rows(session, query, 0, 10**6)]
                assert index.match(term).order_ids == expected, term


def test_words_matching_every_order_and_line_boundaries(tmp_path: Path) -> None:
    from vendor_desk.cache import STATUS_GROUPS
    from vendor_desk.cache.search import SearchIndex

    for env in make_env(tmp_path, orders=200, seed=13):
        env.syncer().sync()
        with env.cache.session() as session:
            index = SearchIndex.load(session, env.account_id)
            # Every generated customer has an "@example" address: each keystroke keeps every
            # order, and the answer (ids and counts) is given again without a new pass.
            typed = ["@", "@e", "@ex", "@example", "@example e", "@examplex", "@"]
            previous = None
            for term in typed:
                for group in ("all", "to_ship"):
                    query = OrderQuery(env.account_id, group=group, search=term)
                    expected = [row.order_id for row in fetch_rows(session, query, 0, 10**6)]
                    match = index.match(term, group)
                    assert match.order_ids == expected, (term, group)
                    assert match.group_counts == group_counts(session, env.account_id, term)
                    assert set(match.group_counts) == set(STATUS_GROUPS)
                again = index.match(term, "to_ship")
                assert again is match  # same matches, same group: the same answer object
                if term in ("@e", "@ex"):
                    assert previous is not None and again.order_ids == previous.order_ids
                previous = again
            assert len(index.match("@").order_ids) == len(index)

            # A word never runs from one part of the search text into the next.
            order_id = index.match("").order_ids[0]
            session.execute(
                update(OrderRecord)
                .where(OrderRecord.account_id == env.account_id, OrderRecord.order_id == order_id)
                .values(search_text="zq-1\nzq-1\nalpha beta\nalpha beta\nga")
            )
            index = SearchIndex.load(session, env.account_id)
            assert index.match("zq-1 beta").order_ids == [order_id]
            assert index.match("betaga").order_ids == []  # lines never run into each other
            assert index.match("ga").order_ids == [
                row.order_id
                for row in fetch_rows(session, OrderQuery(env.account_id, search="ga"), 0, 10**6)
            ]


def _texts_and_words(index: object) -> tuple[list[str], list[str]]:
    """The index's texts, and search words of every kind taken from them: each character and
    pair of characters (non-Latin letters, digits, "@", "-", "." …), and longer pieces."""
    texts: list[str] = index._texts  # type: ignore[attr-defined]
    characters = sorted({c for text in texts for c in text if not c.isspace()})
    pairs = sorted({t[i : i + 2] for t in texts[:40] for i in range(len(t) - 1)})
    pairs = [pair for pair in pairs if not any(c.isspace() for c in pair)]
    pieces = [word for text in texts[:15] for word in text.split()]
    pieces += [piece[1:4] for piece in pieces] + [piece[:-1] for piece in pieces]
    words = characters + pairs[::3] + pieces
    assert any(not c.isascii() for c in characters), "no non-Latin letter in the dataset"
    return texts, [*words, "zzqx", "ßx", "#", "@", "1 2", "@ex 1", "a b c"]


def test_ngram_bitmaps_give_exactly_what_the_scan_gives(tmp_path: Path) -> None:
    """With the n-gram bitmaps (built here in-process) every search answers the same orders,
    order and counts as the plain scan, itself checked against the SQL search above."""
    from vendor_desk.cache import STATUS_GROUPS
    from vendor_desk.cache.search import SearchIndex, build_postings

    for env in make_env(tmp_path, orders=250, seed=5):
        env.syncer().sync()
        with env.cache.session() as session:
            scan = SearchIndex.load(session, env.account_id)
            ngrams = SearchIndex.load(session, env.account_id)
        texts, words = _texts_and_words(ngrams)
        ngrams.use_postings(build_postings(texts))
        assert ngrams.postings_ready and not scan.postings_ready
        for word in words:
            for group in ("all", *STATUS_GROUPS[1:3]):
                for descending in (True, False):
                    expected = scan.match(word, group, descending=descending)
                    got = ngrams.match(word, group, descending=descending)
                    assert got.order_ids == expected.order_ids, (word, group, descending)
                    assert got.group_counts == expected.group_counts, word
        # Typing, one character at a time (refining the previous matches, or not).
        for word in words[-40:]:
            for end in range(1, len(word) + 1):
                assert ngrams.match(word[:end]).order_ids == scan.match(word[:end]).order_ids
        with env.cache.session() as session:
            for word in words[::25]:
                assert set(ngrams.match(word).order_ids) == matching(env, word), word


def test_ngram_bitmaps_never_join_the_parts_of_a_text(tmp_path: Path) -> None:
    from vendor_desk.cache.search import SearchIndex, build_postings

    for env in make_env(tmp_path, orders=40, seed=3):
        env.syncer().sync()
        with env.cache.session() as session:
            order_id = session.scalars(
                select(OrderRecord.order_id).where(OrderRecord.account_id == env.account_id)
            ).first()
            session.execute(
                update(OrderRecord)
                .where(OrderRecord.account_id == env.account_id, OrderRecord.order_id == order_id)
                .values(search_text="zq-1\nzq-1\nalpha beta\nqαβ #7@x\nga")
            )
            index = SearchIndex.load(session, env.account_id)
        index.use_postings(build_postings(index._texts))
        assert index.match("zq-1 beta").order_ids == [order_id]
        assert index.match("qαβ").order_ids == [order_id]
        assert index.match("#7@x").order_ids == [order_id]  # "#" dropped, "7@x" found
        for term in ("betaga", "ag", "αβγ", "xg", "1a", "xga"):
            assert order_id not in index.match(term).order_ids, term
            assert set(index.match(term).order_ids) == matching(env, term), term


def test_ngram_bitmaps_built_in_a_child_process_and_the_scan_until_then(tmp_path: Path) -> None:
    """The bitmaps come from a child process; until they arrive the index scans (same
    answers), and if the child fails it keeps scanning."""
    import sys

    import pytest

    from vendor_desk.cache.search import SearchIndex

    for env in make_env(tmp_path, orders=120, seed=9):
        env.syncer().sync()
        with env.cache.session() as session:
            scan = SearchIndex.load(session, env.account_id)
            index = SearchIndex.load(session, env.account_id)
        assert index.start_postings() is None  # a small shop: no child process
        with pytest.MonkeyPatch.context() as patch:  # a frozen app is no Python interpreter
            patch.setattr(sys, "frozen", True, raising=False)
            assert index.start_postings(min_orders=0) is None
        _texts, words = _texts_and_words(index)
        builder = index.start_postings(min_orders=0)
        assert builder is not None and index.start_postings(min_orders=0) is None
        polled = 0
        while not index.postings_ready and builder.is_alive():  # meanwhile: the scan answers
            assert index.match("a").order_ids == scan.match("a").order_ids
            polled += 1
            builder.join(0.05)
        builder.join(30)
        assert index.postings_ready and polled > 0
        for word in words[::3]:
            assert index.match(word).order_ids == scan.match(word).order_ids, word
            assert index.match(word).group_counts == scan.match(word).group_counts, word

        # A child that cannot start or answer: the index stays correct, by scanning.
        with env.cache.session() as session:
            broken = SearchIndex.load(session, env.account_id)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(sys, "executable", "/bin/false")
            failed = broken.start_postings(min_orders=0)
            assert broken.start_postings(min_orders=0) is None  # started once only
        with env.cache.session() as session:
            unstartable = SearchIndex.load(session, env.account_id)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
            assert unstartable.start_postings(min_orders=0) is None
        assert unstartable.match("a e").order_ids == scan.match("a e").order_ids
        assert failed is not None
        failed.join(30)
        assert not failed.is_alive() and not broken.postings_ready
        assert broken.match("a e").order_ids == scan.match("a e").order_ids

        # A closed index (the order list dropped it) stops its child and takes no bitmaps.
        with env.cache.session() as session:
            dropped = SearchIndex.load(session, env.account_id)
        stopped = dropped.start_postings(min_orders=0)
        dropped.close()
        assert stopped is not None
        stopped.join(30)
        assert not stopped.is_alive() and not dropped.postings_ready
