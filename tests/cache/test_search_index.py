"""The trigram search index (migration 0003) stays in step with the orders table."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text, update

from tests.sync.conftest import Env, make_env
from vendor_desk.cache import OrderQuery, count_orders, fetch_rows
from vendor_desk.cache.models import OrderRecord


def matching(env: Env, search: str) -> set[int]:
    with env.cache.session() as session:
        return {
            row.order_id
            for row in fetch_rows(session, OrderQuery(env.account_id, search=search), 0, 10_000)
        }


def test_index_follows_inserts_updates_and_deletes(tmp_path: Path) -> None:
    for env in make_env(tmp_path, orders=60, seed=2):
        env.syncer().sync()
        with env.cache.session() as session:
            order_id = session.scalars(select_first_order(env.account_id)).one()
            indexed = session.execute(text("SELECT count(*) FROM order_search")).scalar_one()
            stored = session.execute(text("SELECT count(*) FROM orders")).scalar_one()
        assert indexed == stored > 0

        with env.cache.session() as session:
            session.execute(
                update(OrderRecord)
                .where(OrderRecord.account_id == env.account_id, OrderRecord.order_id == order_id)
                .values(search_text="zanzibar_50% off")
            )
        assert matching(env, "zanzibar") == {order_id}
        assert matching(env, "zan") == {order_id}  # three characters: answered by the index
        assert matching(env, "r_5") == {order_id}  # "_" and "%" are literal characters
        assert matching(env, "50%") == {order_id}
        assert matching(env, "5_%") == set()
        assert matching(env, "ZANZIBAR OFF") == {order_id}
        assert matching(env, "zanzibar nowhere") == set()

        with env.cache.session() as session:
            session.execute(
                update(OrderRecord)
                .where(OrderRecord.account_id == env.account_id, OrderRecord.order_id == order_id)
                .values(search_text="somewhere else")
            )
            assert count_orders(session, OrderQuery(env.account_id, search="zanzibar")) == 0
            session.execute(
                OrderRecord.__table__.delete().where(
                    OrderRecord.account_id == env.account_id, OrderRecord.order_id == order_id
                )
            )
            left = session.execute(
                text("SELECT count(*) FROM order_search WHERE search_text LIKE '%somewhere%'")
            ).scalar_one()
        assert left == 0


def select_first_order(account_id: int):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    return (
        select(OrderRecord.order_id)
        .where(OrderRecord.account_id == account_id)
        .order_by(OrderRecord.order_id)
        .limit(1)
    )
