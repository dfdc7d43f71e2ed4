"""Screening speed: screen_many on 1 and 2 workers against a naive pipeline (jieba precise-mode
segmentation + per-record regex extraction + the same decision).

    python bench/screening.py [--n 100000] [--naive-n 5000]

Records are synthetic hotline-like texts of 80–400 characters (mean about 200), composed from
sentence pools with random entities. The naive pipeline is timed on --naive-n records (it is
slow) and reported in records/s. Prints figures, whether 1 and 2 workers gave the same results
and how often the naive pipeline's decision agrees with screen_many's; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from silvershield.screening import screen_many
from silvershield.screening.devset import load
from silvershield.screening.features import FEATURE_NAMES, FRAUD_CODES, GROUP_INDEX, N_FEATURES
from silvershield.screening.lexicon import GROUPS
from silvershield.screening.model import WEIGHTS, relevance, type_scores

OPEN = [
    "来电人反映：",
    "市民来电称，",
    "群众举报：",
    "网格员上报：",
    "来电人咨询：",
    "",
    "经查，",
    "我想反映一下，",
]
CLOSE = [
    "请相关部门核实处理。",
    "要求尽快答复。",
    "来电人要求保密。",
    "",
    "已告知来电人向公安机关报案。",
    "情况紧急。",
]
FILLERS = [
    "联系电话{phone}。",
    "对方电话是{phone}。",
    "地址：{city}{district}{road}{num}号。",
    "家住{city}{district}。",
    "{date}发生。",
    "涉及金额约{amt}。",
    "转账到卡号{card}。",
    "对方微信号{wx}。",
    "对方自称{org}的工作人员。",
    "来电人姓{surname}，",
    "事情发生在{date}左右。",
    "共有{n}名老人受骗。",
    "网址是www.{dom}.com。",
]
CITIES = [
    "杭州市",
    "合肥市",
    "郑州市",
    "成都市",
    "南昌市",
    "济南市",
    "长沙市",
    "昆明市",
    "北京市",
    "上海市",
]
DISTRICTS = [
    "西湖区",
    "蜀山区",
    "金水区",
    "武侯区",
    "东湖区",
    "历下区",
    "岳麓区",
    "五华区",
    "朝阳区",
    "浦东新区",
]
ROADS = ["人民路", "解放路", "建设大道", "中山路", "文化街", "幸福路"]
ORGS = [
    "福满堂养老服务有限公司",
    "康乐源颐养院",
    "金晖健康管理中心",
    "鹤年生物科技有限公司",
    "瑞福老年公寓",
]


def _phone(rng: random.Random) -> str:
    d = rng.choice(["138", "139", "150", "186", "177"]) + "".join(
        rng.choice("0123456789") for _ in range(8)
    )
    return rng.choice([d, f"{d[:3]}-{d[3:7]}-{d[7:]}", f"+86 {d}", f"0571-{d[3:11]}"])


def make_records(n: int, seed: int = 7) -> Iterator[str]:
    rng = random.Random(seed)
    pools: dict[bool, list[str]] = {True: [], False: []}
    for row in load():
        pools[row["label"] != "none"].extend(
            s + "。" for s in re.split(r"[。！!？?]", row["text"]) if len(s) > 6
        )
    for _ in range(n):
        target = int(rng.triangular(80, 400, 120))
        sentences = pools[rng.random() < 0.4]  # about 40% fraud-like, 60% ordinary matters
        parts = [rng.choice(OPEN)]
        size = len(parts[0])
        while size < target:
            if rng.random() < 0.3:
                s = rng.choice(FILLERS).format(
                    phone=_phone(rng),
                    city=rng.choice(CITIES),
                    district=rng.choice(DISTRICTS),
                    road=rng.choice(ROADS),
                    num=rng.randint(1, 300),
                    date=f"{rng.randint(2019, 2026)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
                    amt=f"{rng.randint(1, 90)}万元",
                    card="6222" + "".join(rng.choice("0123456789") for _ in range(15)),
                    wx="wx" + str(rng.randint(10**6, 10**8)),
                    org=rng.choice(ORGS),
                    surname=rng.choice("王李张刘陈杨赵"),
                    n=rng.randint(2, 80),
                    dom="".join(rng.choice("abcdefgh") for _ in range(6)),
                )
            else:
                s = rng.choice(sentences)
            parts.append(s)
            size += len(s)
        # The target is the record's whole length: the body is cut to leave room for the closing
        # words, so lengths follow the triangular law (80–400, mean 200) instead of overshooting
        # it by the last sentence and the closing words (records averaged 227 characters before).
        close = rng.choice(CLOSE)
        yield "".join(parts)[: max(target - len(close), 40)] + close


# --- naive baseline --------------------------------------------------------------------------
_NAIVE_TERMS: dict[str, list[int]] = {}
for _g, (_label, _terms) in GROUPS.items():
    for _t in _terms:
        _NAIVE_TERMS.setdefault(_t, []).append(GROUP_INDEX[_g])
_NAIVE_PATTERNS = [
    r"1[3-9]\d{9}",
    r"0\d{2,3}-?\d{7,8}",
    r"\d{17}[\dXx]",
    r"\d{16,19}",
    r"[\d.]+万?元",
    r"\d{4}年\d{1,2}月\d{1,2}日",
    r"www\.\S+",
    r"[\u4e00-\u9fa5]{2,10}(?:有限公司|公司|养老院|中心)",
]


def naive_screen(text: str) -> tuple[bool, str, int]:
    import jieba

    tokens = jieba.lcut(text)
    x = [0.0] * N_FEATURES
    for tok in tokens:
        for gi in _NAIVE_TERMS.get(tok, ()):
            x[gi] += 1.0
    ents = 0
    for pat in _NAIVE_PATTERNS:
        ents += len(re.findall(pat, text))
    p, _ = relevance(x)
    if p >= WEIGHTS.threshold:
        probs = type_scores(x)
        return True, FRAUD_CODES[max(range(len(probs)), key=probs.__getitem__)], ents
    return False, "none", ents


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--naive-n", type=int, default=5_000)
    args = ap.parse_args()
    t0 = time.perf_counter()
    recs = list(make_records(args.n))
    mean = sum(map(len, recs)) / len(recs)
    print(
        f"generated {len(recs)} records, mean {mean:.0f} chars (min {min(map(len, recs))}, max {max(map(len, recs))}) in {time.perf_counter() - t0:.1f}s"
    )
    assert len(FEATURE_NAMES) == N_FEATURES
    results: dict[str, float] = {}
    print(
        f"load average before: {os.getloadavg()[0]:.2f} (other jobs on the machine share its cores)"
    )
    digests: dict[int, list[tuple[object, ...]]] = {}
    for workers in (1, 2):
        children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        c0 = time.process_time()
        digest: list[tuple[object, ...]] = []
        add = digest.append
        for s in screen_many(iter(recs), workers=workers):
            # A light fingerprint of every result, to check that both runs agree.
            add((s.relevance, s.fraud_type, s.priority, s.amount, len(s.entities)))
        dt = time.perf_counter() - t0
        cpu = time.process_time() - c0
        children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        digests[workers] = digest
        relevant = sum(1 for d in digest if d[1] != "none")
        results[f"screen_many workers={workers}"] = len(recs) / dt
        if workers == 1:
            extra = f", {len(recs) / cpu:,.0f} records per CPU-second"
        else:
            worker_cpu = (children1.ru_utime + children1.ru_stime) - (
                children0.ru_utime + children0.ru_stime
            )
            extra = (
                f", {len(recs) / worker_cpu:,.0f} records per worker CPU-second,"
                f" main process {cpu / len(recs) * 1e6:.0f} µs CPU per record"
                if worker_cpu
                else ""
            )
        print(
            f"screen_many workers={workers}: {len(recs) / dt:,.0f} records/s ({dt:.1f}s, {relevant} relevant{extra})"
        )
    same = digests[1] == digests[2]
    print(f"1 and 2 workers give the same results: {'yes' if same else 'NO'}")
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    sample = recs[: args.naive_n]
    t0 = time.perf_counter()
    naive_types = [naive_screen(r)[1] for r in sample]
    dt = time.perf_counter() - t0
    ours = [d[1] for d in digests[1][: len(sample)]]
    agree_rel = sum((a != "none") == (b != "none") for a, b in zip(naive_types, ours, strict=True))
    agree_type = sum(a == b for a, b in zip(naive_types, ours, strict=True))
    naive = len(sample) / dt
    print(
        f"naive (jieba + regex + same decision), 1 process: {naive:,.0f} records/s ({len(sample)} records, {dt:.1f}s)"
    )
    print(
        f"naive decision agrees with screen_many: relevance {agree_rel / len(sample):.1%},"
        f" type {agree_type / len(sample):.1%}"
    )
    one = results["screen_many workers=1"]
    print(f"ratio screen_many(1 worker) / naive: {one / naive:.1f}x")
    print(f"ratio screen_many(2 workers) / naive: {results['screen_many workers=2'] / naive:.1f}x")


if __name__ == "__main__":
    main()
