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
