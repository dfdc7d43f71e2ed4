"""Linking rules."""

from __future__ import annotations

from silvershield.screening import LinkRecord, link, normalize_name, normalize_phone
from silvershield.screening.linking import signature_similarity, text_signature


def clusters(records: list[LinkRecord]) -> list[set[object]]:
    return [set(c.ids) for c in link(records)]


def test_shared_phone_links_across_formats_and_transitively() -> None:
    recs = [
        LinkRecord(1, "老人反映对方电话+86 138 1234 5678，推销保健品。"),
        LinkRecord(
            2, "对方留的号码是１３８－１２３４－５６７８，后来又给了卡号6222021234567890128。"
        ),
        LinkRecord(3, "钱转到了6222021234567890128这张卡。"),
        LinkRecord(4, "小区路灯坏了，电话13900001111。"),
    ]
    assert clusters(recs) == [{1, 2, 3}]


def test_institution_name_variants_link() -> None:
    assert (
        normalize_name("杭州鹤年松养老服务有限公司")
        == normalize_name("鹤年松养老公司")
        == normalize_name("鹤年松养老")
    )
    recs = [
        LinkRecord("a", "我妈在杭州鹤年松养老服务有限公司交了会员费。"),
        LinkRecord("b", "对方是鹤年松养老公司的人，说交钱能入住。"),
        LinkRecord("c", "听说鹤年松养老也在别的小区收钱。"),
    ]
    assert clusters(recs) == [{"a", "b", "c"}]


def test_common_words_do_not_link() -> None:
    recs = [
        LinkRecord(1, "我妈住的幸福养老院伙食差。"),
        LinkRecord(2, "幸福养老院收了押金不退。"),
        LinkRecord(3, "老年公寓的保健品太贵了。"),
        LinkRecord(4, "老年公寓里有人推销保健品。"),
        LinkRecord(5, "养老院护工不够。"),
        LinkRecord(6, "养老院的暖气不热。"),
    ]
    assert clusters(recs) == []


def test_near_duplicate_texts_link_and_different_ones_do_not() -> None:
    base = "来电人反映其母亲在小区门口的健康体验馆连续听课一个月，被推销了一套磁疗床垫，花了一万九千八百元，说能治高血压和失眠，现在想退货对方不同意。"
    edited = base.replace("一个月", "一个多月").replace("不同意", "不肯")
    other = "来电人反映其父亲的养老金这个月没有按时发放，去社保窗口询问也没有得到答复，希望有关部门尽快核实处理并给予回复，谢谢。"
    assert signature_similarity(text_signature(base), text_signature(edited)) >= 0.7
    assert signature_similarity(text_signature(base), text_signature(other)) < 0.3
    assert clusters([LinkRecord(1, base), LinkRecord(2, other), LinkRecord(3, edited)]) == [{1, 3}]


def test_normalize_phone_rejects_invalid() -> None:
    assert normalize_phone("12345") is None
    assert normalize_phone("0086 139 0000 1111") == "+8613900001111"


def test_explicit_entities_are_used() -> None:
    from silvershield.screening import Entity

    e = Entity("phone", "13800000000", "+8613800000000", 0, 11)
    recs = [LinkRecord(1, "无", (e,)), LinkRecord(2, "无", (e,))]
    assert clusters(recs) == [{1, 2}]


def test_names_cut_or_misspelt_still_link() -> None:
    # A typo inside the trade word (氧老 for 养老), a name the scan cut after a bracket, a
    # city whose name holds a stop character (成都), a trade word with 投资 in it.
    assert normalize_name("瑞绿翠东氧老产业投资有限公司") == "瑞绿翠东"
    assert normalize_name("）文帆润园康养中心") == "文帆润园"
    assert normalize_name("福寿康泰氧老服务有限公司") == "福寿康泰"
    recs = [
        LinkRecord(1, "对方是（成都）文帆润园康养中心的，收了押金。"),
        LinkRecord(2, "对方是成都市文帆润园养老服务有限公司的人。"),
        LinkRecord(3, "老人在文帆润园氧老公司交了会员费。"),
        LinkRecord(4, "对方是瑞绿翠东养老产业投资有限公司的。"),
        LinkRecord(5, "钱给了瑞绿翠东氧老产业投资有限公司。"),
    ]
    assert clusters(recs) == [{1, 2, 3}, {4, 5}]


def test_misspelt_common_words_do_not_link() -> None:
    # Repairing a typo must not turn a generic name into an identifier.
    assert normalize_name("幸福氧老院") == ""
    assert normalize_name("阳光氧老公司") == ""
    recs = [LinkRecord(1, "幸福氧老院收了押金。"), LinkRecord(2, "幸福养老院伙食差。")]
    assert clusters(recs) == []
