"""Linking (串并) at scale: synthetic tips, about 30% of them in planted clusters.

    python bench/linking.py [--n 1000000] [--workers 2]

Cluster members share a phone (written as +86 / 0086 / spaces / dashes / full-width digits), an
institution name (different legal-form and trade suffixes, region prefixes), a bank account, or
are copies of another member's text with edits (typos, insertions, deletions). Singletons have
their own random identifiers, and decoys share only common words (幸福养老院, 老年公寓,
保健品…). Entities are extracted from the text (linking.link_entities) in worker processes.
Prints wall time, peak memory (ru_maxrss of this process and of the workers) and pairwise
precision/recall/F1 against the plan.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import cast

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from silvershield.screening.linking import LinkRecord, link

CORE_CHARS = (
    "福寿康泰安宁祥瑞嘉禾鹤松柏德颐怡乐善和美金银华鑫荣盛源达隆兴旺昌丰晟卓越睿智博雅仁义礼信"
    "诚正清明远航宏伟恒久永春夏秋冬梅兰竹菊桂莲荷芳馨悦欣静慧敏捷锦绣辉煌璟琪瑾瑜琳琅"
    "天地玄黄宇宙洪荒日月星辰云雨露霜雪山川河海江湖林森峰岩石玉珍珠宝翠碧青蓝紫红橙绿"
    "东南西北中百千万亿龙凤麒麟虎豹狮鹰燕雀鸿鹏骏驰腾飞扬帆舟桥城邦都府阁楼台亭轩苑园"
    "新旧古今长宽高深厚博广大小多少文武勤俭忠孝廉耻聪颖俊杰英豪雄壮强健朗润泽涵洋浩瀚"
)  # about 250 characters: a realistic spread of distinct names
TRADES = [
    "养老服务有限公司",
    "养老公司",
    "养老",
    "养老服务中心",
    "颐养院",
    "康养中心",
    "健康管理有限公司",
    "生物科技有限公司",
    "养老产业投资有限公司",
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
    "浙江省杭州市",
    "安徽省合肥市",
    "河南省郑州市",
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
]
GENERIC = [
    "幸福养老院",
    "夕阳红老年公寓",
    "阳光养老院",
    "社区养老服务中心",
    "老年公寓",
    "养老院",
    "保健品店",
    "康乐养老院",
    "敬老院",
]
WHO = ["来电人反映", "市民举报", "群众来电称", "网格员上报", "来电人称", "家属反映", "老人子女来电"]
KIN = ["其母亲", "其父亲", "其岳母", "其外婆", "邻居老人", "本人父亲", "老伴", "其姑姑"]
STORY = [
    "被人推销保健品花了{amt}",
    "在{org}交了会员费{amt}",
    "被拉去听健康讲座后买了理疗仪",
    "投资了养老项目{amt}至今未返还",
    "交了床位费{amt}后机构关门",
    "被人以代办社保为名收走{amt}",
    "被冒充民政局的人骗走认证费",
    "买了纪念币说好回购结果找不到人",
    "参加低价旅游被强制购物",
    "房子被抵押借款{amt}",
    "在养老院交的押金{amt}一直不退",
    "被人介绍购买理财产品{amt}",
]
TAIL = [
    "请求核查。",
    "要求退款。",
    "请有关部门处理。",
    "情况属实请尽快调查。",
    "来电人情绪激动。",
    "",
]
EXTRA = [
    "对方说是正规机构",
    "事情发生在上个月",
    "当时还有好几个老人在场",
    "老人不会用智能手机",
    "家里人都不知道",
    "对方每次都换地方",
    "老人已经报过警",
    "合同上盖有公章",
]
TYPO = str.maketrans({"骗": "偏", "养": "氧", "费": "废", "钱": "前", "院": "园", "款": "欵"})
FULL = str.maketrans({str(d): chr(0xFF10 + d) for d in range(10)})
MOBILE_PREFIX = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "156",
    "157",
    "158",
    "159",
    "176",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "199",
]


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randrange(10**n)).zfill(n)


def new_phone(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIX) + _digits(rng, 8)


def fmt_phone(rng: random.Random, p: str) -> str:
    r = rng.randrange(7)
    if r == 0:
        return f"+86 {p[:3]} {p[3:7]} {p[7:]}"
    if r == 1:
        return f"{p[:3]}-{p[3:7]}-{p[7:]}"
    if r == 2:
        return p.translate(FULL)
    if r == 3:
        return f"0086{p}"
    if r == 4:
        return f"{p[:3]} {p[3:7]} {p[7:]}"
    return p


def luhn_card(rng: random.Random) -> str:
    body = "622" + _digits(rng, 15)
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def new_core(rng: random.Random) -> str:
    return "".join(rng.choice(CORE_CHARS) for _ in range(rng.choice((3, 4, 4))))


def org_variant(rng: random.Random, core: str) -> str:
    trade = rng.choice(TRADES)
    r = rng.randrange(4)
    if r == 0:
        return rng.choice(CITIES) + core + trade
    if r == 1:
        return f"{core}{trade}"
    if r == 2:
        return f"（{rng.choice(CITIES)[:2]}）{core}{trade}"
    return core + rng.choice(["养老", "养老公司", "养老服务有限公司"])


def edit_text(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(max(1, len(chars) // 40)):
        i = rng.randrange(len(chars))
        op = rng.randrange(3)
        if op == 0:
            chars[i] = rng.choice("的了是在有和就都")
        elif op == 1:
            chars.insert(i, rng.choice("啊呢吧，"))
        elif len(chars) > 20:
            del chars[i]
    return "".join(chars).translate(TYPO) if rng.random() < 0.3 else "".join(chars)


def body(rng: random.Random, ident: list[str]) -> str:
    """A tip text mentioning the identifiers in ``ident`` among random other details."""
    amt = f"{rng.randint(1, 90)}万元" if rng.random() < 0.5 else f"{rng.randint(1000, 99999)}元"
    parts = [
        f"{rng.choice(WHO)}：{rng.choice(KIN)}{rng.randint(60, 92)}岁，家住{rng.choice(CITIES)}{rng.choice(DISTRICTS)}"
        f"{rng.choice(['人民路', '解放路', '建设路', '和平街'])}{rng.randint(1, 999)}号，",
        rng.choice(STORY).format(amt=amt, org=rng.choice(GENERIC)) + "，",
    ]
    for i in ident:
        parts.append(i)
    parts.append(
        rng.choice(EXTRA)
        + f"，涉及{rng.randint(2, 9)}位老人，发生于{rng.randint(2020, 2026)}年{rng.randint(1, 12)}月。"
    )
    if rng.random() < 0.5:
        parts.append(f"来电人联系方式{new_phone(rng)}。")  # the reporter's own number, unique
    parts.append(rng.choice(TAIL))
    return "".join(parts)


def plan(
    n: int, seed: int = 11, planted: list[set[str]] | None = None
) -> Iterator[tuple[int, int, str]]:
    """Yields (record id, true cluster id, text); singletons have their own cluster id. With
    ``planted``, appends per record the identifiers planted in it (``p:``/``o:``/``c:`` plus the
    cluster id for its phone, institution and card; ``t:`` plus a record id for a text and its
    edited copies), from which the recall ceiling is computed."""
    rng = random.Random(seed)
    target_clustered = int(n * 0.3)
    clustered = 0
    rid = 0
    cid = 0
    while rid < n:
        if clustered < target_clustered and rng.random() < 0.3 / 5 * 1.6:
            size = min(n - rid, max(2, int(rng.paretovariate(1.6) * 2.5)), 60)
            phone, core, card = new_phone(rng), new_core(rng), luhn_card(rng)
            texts: list[str] = []
            tokens: list[set[str]] = []
            for _ in range(size):
                if texts and rng.random() < 0.25:
                    k = rng.choice(range(len(texts)))  # the same draw as rng.choice(texts)
                    text = edit_text(rng, texts[k])
                    tokens[k].add(f"t:{rid - len(texts) + k}")
                    mine = {*tokens[k], f"t:{rid - len(texts) + k}"}
                else:
                    choice = rng.sample(["phone", "org", "card"], rng.choice((1, 1, 2)))
                    mine = {f"{c[0]}:{cid}" for c in choice}
                    ident = []
                    if "phone" in choice:
                        ident.append(f"对方电话{fmt_phone(rng, phone)}，")
                    if "org" in choice:
                        ident.append(f"对方是{org_variant(rng, core)}的，")
                    if "card" in choice:
                        ident.append(f"钱转到了卡号{card}，")
                    text = body(rng, ident)
                texts.append(text)
                tokens.append(mine)
                if planted is not None:
                    planted.append(mine)
                yield rid, cid, text
                rid += 1
            clustered += size
            cid += 1
        else:
            ident = []
            r = rng.random()
            if r < 0.5:
                ident.append(f"对方电话{fmt_phone(rng, new_phone(rng))}，")
            if r > 0.3:
                ident.append(f"对方是{org_variant(rng, new_core(rng))}的，")
            if rng.random() < 0.3:
                ident.append(
                    f"对方自称{rng.choice(GENERIC)}的工作人员，"
                )  # decoy: common words only
            if planted is not None:
                planted.append(set())
            yield rid, cid, body(rng, ident)
            rid += 1
            cid += 1


def pairs(sizes: Counter[int] | list[int]) -> int:
    values = sizes.values() if isinstance(sizes, Counter) else sizes
    return sum(s * (s - 1) // 2 for s in values)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--pregenerate",
        action="store_true",
        help="generate all records first and time link() alone (records held in memory)",
    )
    args = ap.parse_args()
    truth: list[int] = []
    planted: list[set[str]] = []

    def records() -> Iterator[LinkRecord]:
        for rid, cid, text in plan(args.n, planted=planted):
            truth.append(cid)
            yield LinkRecord(rid, text)

    load0 = os.getloadavg()[0]
    gen = 0.0
    source: Iterable[LinkRecord] = records()
    if args.pregenerate:
        t0 = time.perf_counter()
        source = list(source)
        gen = time.perf_counter() - t0
    u0 = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = u0.ru_utime + u0.ru_stime
    t0 = time.perf_counter()
    clusters = link(source, workers=args.workers)
    wall = time.perf_counter() - t0
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    self_kb, child_kb = me.ru_maxrss, kids.ru_maxrss
    cpu_main = me.ru_utime + me.ru_stime - cpu0
    # Pairwise precision / recall.
    true_sizes = Counter(truth)
    pred_pairs = 0
    tp = 0
    for c in clusters:
        pred_pairs += len(c.ids) * (len(c.ids) - 1) // 2
        tp += pairs(Counter(truth[cast(int, i)] for i in c.ids))
    true_pairs = pairs(true_sizes)
    prec = tp / pred_pairs if pred_pairs else 0.0
    rec = tp / true_pairs if true_pairs else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    in_clusters = sum(s for s in true_sizes.values() if s > 1)
    print(
        f"records {args.n:,}; planted: {sum(1 for s in true_sizes.values() if s > 1):,} clusters holding {in_clusters:,} records ({in_clusters / args.n:.0%})"
    )
    print(f"found {len(clusters):,} clusters holding {sum(len(c.ids) for c in clusters):,} records")
    if args.pregenerate:
        print(f"generation {gen:.1f}s (not timed below)")
        print(f"wall time of link() (extraction in {args.workers} workers + linking): {wall:.1f}s")
    else:
        print(
            f"wall time (generation + extraction in {args.workers} workers + linking): {wall:.1f}s"
        )
    print(
        f"CPU time: main {cpu_main:.1f}s, workers {kids.ru_utime + kids.ru_stime:.1f}s;"
        f" load average before/after: {load0:.2f} / {os.getloadavg()[0]:.2f}"
    )
    print(f"peak memory: main {self_kb / 1024:.0f} MiB, largest worker {child_kb / 1024:.0f} MiB")
    print(
        f"pairwise precision {prec:.4f} recall {rec:.4f} F1 {f1:.4f}  (true pairs {true_pairs:,}, predicted {pred_pairs:,})"
    )
    linkable = pairs(linkable_components(planted))
    print(
        f"recall ceiling {linkable / true_pairs:.4f}: {linkable:,} true pairs are joined by a planted"
        " identifier or a copied text (members of a cluster that share none cannot be linked)"
    )


def linkable_components(planted: list[set[str]]) -> list[int]:
    """Sizes of the groups of records joined (transitively) by a shared planted token."""
    parent = list(range(len(planted)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, tokens in enumerate(planted):
        for t in tokens:
            j = first.setdefault(t, i)
            a, b = find(i), find(j)
            if a != b:
                parent[b] = a
    return list(Counter(find(i) for i in range(len(planted))).values())


if __name__ == "__main__":
    main()
