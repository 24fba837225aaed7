"""Order pages are decoded entry by entry so each order keeps the marketplace's exact text."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from vendor_desk.marketplace.parsing import RawJsonObject, split_json_array


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        " [ ] \n",
        '[{"a": 1.50, "b": [1, {"c": "x"}]}, {"a": "\\u00e9"}]',
        '\n[\n  {"id": 1},\n  {"id": 2}\n]\n',
        "[1, 2.0, null, true]",
    ],
)
def test_split_json_array_matches_json_loads(text: str) -> None:
    elements = split_json_array(text)
    assert elements is not None
    assert [value for value, _ in elements] == json.loads(text, parse_float=Decimal)
    for value, raw in elements:
        assert json.loads(raw, parse_float=Decimal) == value
        assert raw == raw.strip() and raw in text


def test_split_keeps_numbers_as_decimal_and_text_verbatim() -> None:
    elements = split_json_array('[{"total": 19.90, "n": "x"}]')
    assert elements == [({"total": Decimal("19.90"), "n": "x"}, '{"total": 19.90, "n": "x"}')]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{}",
        "[1,]",
        "[1 2]",
        "[1",
        '[{"a": 1}]{"b": 2}',  # WCFM's doubled output: left to the tolerant decoder
        "[1] x",
        "<html>",
    ],
)
def test_split_json_array_refuses_anything_else(text: str) -> None:
    assert split_json_array(text) is None


def test_raw_json_object_is_a_plain_mapping_with_its_text() -> None:
    raw = RawJsonObject({"id": 3}, '{"id":3}')
    assert raw == {"id": 3} and dict(raw) == {"id": 3}
    assert raw.json_text == '{"id":3}'
