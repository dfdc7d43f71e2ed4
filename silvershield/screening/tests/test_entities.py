"""Entity extraction (fictitious data; ID and USCC numbers are made with stdnum's checksums)."""

from __future__ import annotations

from decimal import Decimal

from stdnum.cn import ric, uscc

from silvershield.screening import extract_entities, normalize_phone, org_core_name, region_code
from silvershield.screening.numbers import parse_number


def kinds(text: str, kind: str) -> list[tuple[str, bool]]:
    return [(e.normalized, e.valid) for e in extract_entities(text) if e.kind == kind]


def make_ric(body: str = "11010519491231002") -> str:
    # calc_check_digit() reads the full 18 characters and ignores the last one.
    number = body + ric.calc_check_digit(body + "0")
    assert ric.is_valid(number)
    return number


def make_uscc(body: str = "91330106MA2B3C4D5") -> str:
    number = body + uscc.calc_check_digit(body)
    assert uscc.is_valid(number)
    return number


def test_mobile_phone_in_many_formats() -> None:
    for written in (
        "13812345678",
        "+86 138 1234 5678",
        "138-1234-5678",
        "００８６13812345678",
        "１３８１２３４５６７８",
        "0086 138 1234 5678",
    ):
        assert kinds(f"对方电话{written}，快来", "phone") == [("+8613812345678", True)], written


def test_landline_with_area_code() -> None:
    assert kinds("联系电话0571-87654321。", "phone") == [("+8657187654321", True)]
    assert normalize_phone("(010) 8888 6666") == "+861088886666"


def test_short_numbers_are_not_phones() -> None:
    assert kinds("请拨打12345热线或110报警", "phone") == []


def test_id_number_valid_and_invalid_checksum() -> None:
    good = make_ric()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    found = kinds(f"身份证号{good}，另一个身份证{bad}。", "id_number")
    assert (good, True) in found
    assert (bad, False) in found


def test_uscc_valid_and_invalid_checksum() -> None:
    good = make_uscc()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    found = kinds(f"统一社会信用代码{good}；另见信用代码{bad}", "uscc")
    assert (good, True) in found
    assert (bad, False) in found


def test_bank_card_luhn() -> None:
    assert kinds("钱转到卡号6222021234567890128了", "bank_card") == [("6222021234567890128", True)]
    # A Luhn failure after a bank word is kept, marked invalid.
    assert kinds("收款账号6222021234567890127", "bank_card") == [("6222021234567890127", False)]


def test_money_amounts() -> None:
    got = {
        e.normalized
        for e in extract_entities("交了三万五千元，又转了5.8万元，还有2000块钱和十几万")
        if e.kind == "money"
    }
    assert {"35000", "58000", "2000", "100000+"} <= got


def test_money_total_and_not_people() -> None:
    from silvershield.screening import screen

    s = screen("我妈被骗了3万元，我爸被骗了2万元")
    assert s.amount == Decimal(50000)
    assert kinds("全市有30万人参加", "money") == []


def test_parse_number_forms() -> None:
    assert parse_number("三万五千") == 35000
    assert parse_number("3万5") == 35000
    assert parse_number("一百多万") == 1_000_000
    assert parse_number("二十余") == 20


def test_dates() -> None:
    got = kinds("2023年5月12日交的钱，2024-01-03又去了，去年也有", "date")
    assert ("2023-05-12", True) in got
    assert ("2024-01-03", True) in got
    assert ("rel:去年", True) in got


def test_org_names_and_core() -> None:
    orgs = [
        e
        for e in extract_entities("我妈在杭州福寿康养老服务有限公司交了钱，后来又去了康乐源颐养院")
        if e.kind == "org"
    ]
    values = [e.value for e in orgs]
    assert "杭州福寿康养老服务有限公司" in values
    assert "康乐源颐养院" in values
    assert (
        org_core_name("杭州福寿康养老服务有限公司") == org_core_name("福寿康养老公司") == "福寿康"
    )


def test_address_region_code() -> None:
    addr = [e for e in extract_entities("家住浙江省杭州市西湖区文三路100号") if e.kind == "address"]
    assert addr and addr[0].normalized.startswith("330100|")
    assert region_code("北京市朝阳区") == "110105"


def test_url_wechat_qq() -> None:
    ents = extract_entities("下载网址www.fake-yanglao.com，加微信号yl_helper88或QQ：123456789")
    assert ("url", "www.fake-yanglao.com") in {(e.kind, e.normalized) for e in ents}
    assert ("wechat", "yl_helper88") in {(e.kind, e.normalized) for e in ents}
    assert ("qq", "123456789") in {(e.kind, e.normalized) for e in ents}


def test_victim_counts() -> None:
    from silvershield.screening import screen

    assert screen("共骗取30多名老人钱款").victims == 30
    assert screen("二十余人被骗，涉案金额巨大").victims == 20


def test_traditional_and_full_width_are_normalised() -> None:
    s = "養老院騙錢，電話１３８１２３４５６７８"
    assert kinds(s, "phone") == [("+8613812345678", True)]
    ents = extract_entities(s)
    assert all(s[e.start : e.end] == e.value for e in ents)  # offsets refer to the input


def test_id_numbers_of_older_people_issued_with_later_codes_are_valid() -> None:
    from stdnum.cn import ric

    from silvershield.screening import extract_entities

    body = "33052219380517001"  # 长兴县 (code from 1983), born 1938
    number = body + ric.calc_check_digit(body + "0")
    (entity,) = [
        e for e in extract_entities(f"老人身份证号{number}被冒用") if e.kind == "id_number"
    ]
    assert entity.valid
