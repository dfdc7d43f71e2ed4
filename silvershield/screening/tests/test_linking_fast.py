"""The fast linking path: its own identifier extraction agrees with screening's, and the chunked
main loop links the same records whatever the chunking and the number of workers."""

from __future__ import annotations

import importlib.util
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

from silvershield.screening import LinkRecord, extract_entities, link
from silvershield.screening.linking import (
    MAX_WEAK_KEY_RECORDS,
    record_keys,
    signature_similarity,
    text_signature,
)
from silvershield.screening.linking_extract import find_link_entities
from silvershield.screening.normalize import normalize

IDENTIFIERS = {"phone", "id_number", "uscc", "bank_card", "wechat", "qq"}

TRICKY = [
    "对方电话０５７１－８８８８ ８８８８，账号 6222 0212 3456 7890 128，另有 12 34567",
    "联系13800001111 或 400-800-1234，座机(0571)88886666，传真0571-8888-6666",
    "身份证110101199003077777，信用代码91330106MA2B3C4D5E，营业执照913301067000000000",
    "微信号abc12345，VX: zhang_san88，wx 13912345678，qq 12345678，扣扣群是 987654321",
    "编号1234567a，订单A12345678，价格12.3456789元，+86 139 1234 5678X，0086-13912345678",
    "卡号6222021234567890120（不对），身份证号码 110101900307777，电话 12345678901",
    "1 2 3 4 5 6 7 8 9 0，(13912345678)，13912345678。13912345678,13912345678",
]


def _plan() -> Callable[..., Iterator[tuple[int, int, str]]]:
    path = Path(__file__).resolve().parents[3] / "bench" / "linking.py"
    spec = importlib.util.spec_from_file_location("bench_linking", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return cast(Callable[..., Iterator[tuple[int, int, str]]], module.plan)


def _screening_ids(text: str) -> set[tuple[str, str, int, int]]:
    return {
        (e.kind, e.normalized, e.start, e.end)
        for e in extract_entities(text)
        if e.kind in IDENTIFIERS
    }


def _linking_ids(text: str) -> set[tuple[str, str, int, int]]:
    found = {
        (kind, norm, start, end)
        for kind, _, norm, start, end, _ in find_link_entities(normalize(text))
        if kind in IDENTIFIERS
    }
    # Screening drops a WeChat or QQ id written as a phone number (wx 139…); linking keeps
    # both keys.
    numbers = [(a, b) for kind, _, a, b in found if kind not in ("wechat", "qq")]
    return {
        f
        for f in found
        if f[0] not in ("wechat", "qq") or not any(a <= f[2] < b for a, b in numbers)
    }


def test_identifiers_agree_with_screening() -> None:
    texts = [t for _, _, t in _plan()(1500, seed=5)] + TRICKY
    found = 0
    for text in texts:
        mine = _linking_ids(text)
        assert mine == _screening_ids(text), text
        found += len(mine)
    assert found > 1000  # the texts do hold identifiers


def test_names_with_short_suffixes_and_stop_characters() -> None:
    names = [
        v for k, v, *_ in find_link_entities("对方是成都市文帆润园养老的，一家瑞绿翠东投资有限公司")
    ]
    assert names == ["成都市文帆润园养老", "瑞绿翠东投资有限公司"]


def test_record_keys_keep_their_form() -> None:
    text = (
        "对方电话+86 138 1234 5678，卡号6222021234567890128，对方是杭州鹤年松养老服务有限公司的。"
    )
    keys, sig = record_keys(LinkRecord(1, text))
    assert keys == [
        "bank_card:6222021234567890128",
        "org:鹤年松",
        "phone:+8613812345678",
    ]
    assert sig == text_signature(text).tobytes()
    assert record_keys(LinkRecord(2, "短文本13812345678")) == (["phone:+8613812345678"], b"")


def _records(n: int, seed: int) -> list[LinkRecord]:
    return [LinkRecord(rid, text) for rid, _, text in _plan()(n, seed=seed)]


def test_chunking_and_workers_do_not_change_clusters() -> None:
    recs = _records(600, seed=3)
    one = link(recs)
    assert sum(len(c.ids) for c in one) > 100
    assert [c.ids for c in link(recs, chunk_size=7)] == [c.ids for c in one]
    assert [c.ids for c in link(recs, workers=2, chunk_size=50)] == [c.ids for c in one]
    # Clusters come in order of their first record; members in record order.
    ids = [cast(list[int], list(c.ids)) for c in one]
    assert [c[0] for c in ids] == sorted(c[0] for c in ids)
    assert all(c == sorted(c) for c in ids)


def test_a_weak_key_in_too_many_records_links_nothing() -> None:
    def tips(n: int, phone: str) -> list[LinkRecord]:
        return [LinkRecord(i, f"第{i}号来电，对方电话{phone}。") for i in range(n)]

    assert [len(c.ids) for c in link(tips(MAX_WEAK_KEY_RECORDS, "13912345678"), chunk_size=64)] == [
        MAX_WEAK_KEY_RECORDS
    ]
    assert link(tips(MAX_WEAK_KEY_RECORDS + 1, "13912345678"), chunk_size=64) == []


def test_near_duplicates_link_across_chunks_and_others_do_not() -> None:
    rng = random.Random(7)
    words = "老人反映在小区门口听健康讲座被推销保健品花了很多钱现在想退货对方不同意请有关部门处理"
    base = "".join(rng.choice(words) for _ in range(120))
    copy = base[:50] + "啊" + base[50:100] + base[101:]
    assert signature_similarity(text_signature(base), text_signature(copy)) >= 0.7
    fillers = ["".join(rng.choice(words) for _ in range(120)) for _ in range(30)]
    recs = [LinkRecord("base", base)]
    recs += [LinkRecord(i, t) for i, t in enumerate(fillers)]
    recs.append(LinkRecord("copy", copy))
    clusters = link(recs, chunk_size=4)
    assert [set(c.ids) for c in clusters] == [{"base", "copy"}]
    assert clusters[0].keys == ("text:near-duplicate",)
