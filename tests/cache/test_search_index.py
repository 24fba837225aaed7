"""The narrow search table (migration 0003) stays in step with the orders table."""

from __future__ import annotations

import math
import os
import random
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
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
        assert stored is not None and indexed == stored and stored > 0

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
    """The index's texts, and search words of every kind taken from them: each character, pair
    and trigram of characters (non-Latin letters, digits, "@", "-", "." …), longer pieces, words
    held by no text, and multi-word searches."""
    texts: list[str] = index._texts  # type: ignore[attr-defined]
    characters = sorted({c for text in texts for c in text if not c.isspace()})
    pairs = sorted({t[i : i + 2] for t in texts[:40] for i in range(len(t) - 1)})
    pairs = [pair for pair in pairs if not any(c.isspace() for c in pair)]
    trigrams = sorted({t[i : i + 3] for t in texts[:60] for i in range(len(t) - 2)})
    trigrams = [trigram for trigram in trigrams if trigram.split() == [trigram]]
    pieces = [word for text in texts[:15] for word in text.split()]
    pieces += [piece[1:4] for piece in pieces] + [piece[:-1] for piece in pieces]
    pieces += [piece[2:6] for piece in pieces if len(piece) > 5]
    words = characters + pairs[::3] + trigrams[::7] + pieces
    assert any(not c.isascii() for c in characters), "no non-Latin letter in the dataset"
    absent = ["zzqx", "ßx", "qαβγ", "zq", "@example.testx", "xample.tes9"]
    several = ["1 2", "@ex 1", "a b c", f"{pieces[0]} {pairs[1]}", f"{trigrams[5]} {pieces[3]}"]
    return texts, [*words, *absent, *several, "#", "@", "-", "@example", "example.test"]


def _holders(texts: list[str], posting: int | Sequence[int]) -> list[int]:
    """The positions a posting (bitmap or positions) stands for."""
    if isinstance(posting, int):
        return [i for i in range(len(texts)) if posting >> i & 1]
    return list(posting)


@pytest.mark.parametrize(
    ("dense_share", "frequent_share", "layered"),
    [(1 / 32, 1 / 4, True), (0.0, 0.05, True), (0.5, 0.3, False), (1.0, 2.0, False)],
)
def test_build_postings_keys_hold_exactly_their_texts(
    dense_share: float, frequent_share: float, layered: bool
) -> None:
    """Every character, pair and trigram without whitespace is a key, with exactly the texts
    holding it, dense or sparse by its count; so is every substring of four or more characters
    held by enough texts (and no other)."""
    from vendor_desk.cache.search import build_postings

    chooser = random.Random(4)
    alphabet = "ab1@-.üα ß\n"
    texts = ["".join(chooser.choices(alphabet, k=chooser.randrange(0, 30))) for _ in range(160)]
    texts += [f"{text}x@example.test" for text in texts[:60]]
    count = len(texts)
    keys = build_postings(texts, dense_share=dense_share, frequent_share=frequent_share)

    held: Counter[str] = Counter()
    for text in texts:
        held.update({text[i:j] for i in range(len(text)) for j in range(i + 1, len(text) + 1)})
    held = Counter({piece: n for piece, n in held.items() if piece.split() == [piece]})
    dense_min = max(1, math.ceil(count * dense_share))
    frequent_min = max(dense_min, math.ceil(count * frequent_share))
    short = {piece for piece in held if len(piece) <= 3}
    frequent = {piece for piece, n in held.items() if len(piece) > 3 and n >= frequent_min}
    assert set(keys) == short | frequent
    assert bool(frequent) == layered  # frequent substrings ("@example.test") made, or not
    for key, posting in keys.items():
        assert _holders(texts, posting) == [i for i, t in enumerate(texts) if key in t], key
        assert isinstance(posting, int) == (held[key] >= dense_min), key
    assert any(isinstance(posting, int) for posting in keys.values()) == (dense_share < 1)
    assert any(not isinstance(posting, int) for posting in keys.values()) == (dense_share > 0)


def test_finding_frequent_substrings_stops_at_its_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """Level by level, within a budget of substring tests: shorter substrings come first, and
    what was found is exact."""
    from vendor_desk.cache import search

    texts = [f"{n}-order@shop.example.test {n % 7}" for n in range(200)]
    monkeypatch.setattr(search, "_FREQUENT_TESTS_PER_TEXT", 1000)
    everything = search.build_postings(texts)
    longest = max(map(len, everything))
    assert longest == len("-order@shop.example.test")
    monkeypatch.setattr(search, "_FREQUENT_TESTS_PER_TEXT", 100)  # the default
    assert 3 < max(map(len, search.build_postings(texts))) < longest  # 231 substrings: too many
    monkeypatch.setattr(search, "_FREQUENT_TESTS_PER_TEXT", 0)
    assert max(map(len, search.build_postings(texts))) == 3
    monkeypatch.setattr(search, "_FREQUENT_TESTS_PER_TEXT", 15)
    some = search.build_postings(texts)
    found = max(map(len, some))
    assert 3 < found < longest
    for key in everything:  # every shorter one was found, and is the same
        if len(key) < found:
            assert some[key] == everything[key], key
    assert set(some) <= set(everything)


def test_postings_agree_with_the_scan_dense_sparse_and_frequent(tmp_path: Path) -> None:
    """With the postings (built here in-process, with thresholds that make every kind of key:
    bitmaps, positions, frequent substrings or none) every search answers the same orders,
    order and counts as the plain scan, itself checked against the SQL search above."""
    from vendor_desk.cache import STATUS_GROUPS
    from vendor_desk.cache.search import SearchIndex, build_postings

    for env in make_env(tmp_path, orders=250, seed=5):
        env.syncer().sync()
        with env.cache.session() as session:
            scan = SearchIndex.load(session, env.account_id)
        texts, words = _texts_and_words(scan)
        for dense_share, frequent_share in [(1 / 32, 1 / 4), (0.0, 0.05), (1.0, 2.0)]:
            with env.cache.session() as session:
                indexed = SearchIndex.load(session, env.account_id)
            keys = build_postings(texts, dense_share=dense_share, frequent_share=frequent_share)
            indexed.use_postings(keys)
            assert indexed.postings_ready and not scan.postings_ready
            for word in words:
                for group in ("all", *STATUS_GROUPS[1:3]):
                    for descending in (True, False):
                        expected = scan.match(word, group, descending=descending)
                        got = indexed.match(word, group, descending=descending)
                        assert got.order_ids == expected.order_ids, (word, group, descending)
                        assert got.group_counts == expected.group_counts, word
            # Typing, one character at a time (refining the previous matches, or not).
            for word in words[-60:]:
                for end in range(1, len(word) + 1):
                    got = indexed.match(word[:end])
                    assert got.order_ids == scan.match(word[:end]).order_ids, word[:end]
        with env.cache.session() as session:
            for word in words[::25]:
                assert set(scan.match(word).order_ids) == matching(env, word), word


def test_short_and_frequent_words_are_answered_without_substring_tests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Words of up to three characters and frequent substrings are keys: their matches come
    from the postings, no text is tested (no search here refines a few previous matches,
    which would be tested). Other long words test their candidates only."""
    from vendor_desk.cache import search
    from vendor_desk.cache.queries import search_words

    tests: list[str] = []  # the words of every substring test made

    def counted(text: str, word: str) -> bool:
        tests.append(word)
        return word in text

    for env in make_env(tmp_path, orders=250, seed=5):
        env.syncer().sync()
        with env.cache.session() as session:
            scan = search.SearchIndex.load(session, env.account_id)
            indexed = search.SearchIndex.load(session, env.account_id)
        texts, words = _texts_and_words(scan)
        keys = search.build_postings(texts)
        indexed.use_postings(keys)
        words += ["@e", "@ex", "@exa", "@exam", "@example", "example.te"]
        expected = {word: scan.match(word).order_ids for word in words}
        monkeypatch.setattr(search, "contains", counted)
        assert "@example.test" in keys and "example" in keys  # every text holds them
        for word in words:
            del tests[:]
            assert indexed.match(word).order_ids == expected[word], word
            if all(len(w) <= 3 or w in keys for w in search_words(word)):
                assert tests == [], word
        long_word = max((w for w in words if " " not in w and w not in keys), key=len)
        del tests[:]
        indexed.match(long_word)
        assert 0 < len(tests) <= len(texts) // 4, long_word  # its candidates only


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
    import pytest

    from vendor_desk.cache.search import (
        POSTINGS_CHILD_ARGUMENT,
        SearchIndex,
        postings_child_command,
    )

    for env in make_env(tmp_path, orders=120, seed=9):
        env.syncer().sync()
        with env.cache.session() as session:
            scan = SearchIndex.load(session, env.account_id)
            index = SearchIndex.load(session, env.account_id)
        assert index.start_postings() is None  # a small shop: no child process
        with pytest.MonkeyPatch.context() as patch:  # a frozen app is no Python interpreter:
            patch.setattr(sys, "frozen", True, raising=False)  # the child is the app itself
            assert postings_child_command() == [sys.executable, POSTINGS_CHILD_ARGUMENT]
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


def test_the_frozen_apps_launcher_is_the_search_helper_when_asked() -> None:
    """``packaging/launcher.py`` (the frozen app's entry script) started with
    ``--search-postings-child`` builds the keys of the pickled texts on its stdin, as the
    ``python -c`` child does; the frozen build's self-test runs the same for real."""
    import pickle
    import subprocess
    from pathlib import Path

    from vendor_desk.cache.search import POSTINGS_CHILD_ARGUMENT, build_postings

    root = Path(__file__).resolve().parents[2]
    texts = ["#1001\nzoë théâtre\nzoe@example.test", "#1002\nbjörn\nmug-blue", "#1003\nmug"]
    answer = subprocess.run(
        [sys.executable, str(root / "packaging" / "launcher.py"), POSTINGS_CHILD_ARGUMENT],
        input=pickle.dumps(texts),
        capture_output=True,
        timeout=60,
        check=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert pickle.loads(answer.stdout) == build_postings(texts)
