"""Decisions, bad input, determinism."""

from __future__ import annotations

import pytest

from silvershield.screening import FRAUD_TYPES, MAX_CHARS, Screening, screen, screen_many

CLEAR = {
    "elder_service": "我妈在一家养老公寓交了八万块钱的会员费和床位费，说可以终身入住，现在公寓关门了，老板跑路，钱退不回来。",
    "elder_project": "我爸被人拉去投资养老基地项目，说入股每年分红百分之十五，投了二十万，现在公司人去楼空，一分钱也拿不回来。",
    "elder_product": "我奶奶去听健康讲座领鸡蛋，被推销了三万块的保健品，说能根治糖尿病，吃了一点用没有，这是骗人的。",
    "house_pension": "我爷爷被人以“以房养老”为名骗去把房子抵押借款，借的钱交给对方公司理财，现在公司跑了，房子要被收走。",
    "pension_insurance": "有人冒充社保局工作人员，说能帮我母亲补缴养老保险办提前退休，收了五万块代办费，人就联系不上了。",
    "elder_aid": "有人冒充民政局工作人员给七十多岁的老人打电话，说发放高龄补贴要先交手续费，老人转了钱后对方就失联了。",
    "other_elder": "骗子冒充公安民警给我外婆打电话，说她涉嫌洗钱，让她把养老钱转到安全账户，老人被骗走十万元。",
}


@pytest.mark.parametrize(("code", "text"), list(CLEAR.items()))
def test_clear_cases_of_every_form(code: str, text: str) -> None:
    s = screen(text)
    assert s.is_relevant
    assert s.fraud_type == code
    assert any("类型判断" in r for r in s.reasons)


def test_fraud_types_mapping() -> None:
    assert list(FRAUD_TYPES) == [
        "elder_service",
        "elder_project",
        "elder_product",
        "house_pension",
        "pension_insurance",
        "elder_aid",
        "other_elder",
        "none",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "我母亲住的养老院伙食太差，天天白菜豆腐，护工态度也不好，希望民政部门管一管。",
        "我爸的养老金这个月还没到账，往常十号就发了，请问什么时候能发？",
        "楼下药店每天早上用大喇叭搞促销送鸡蛋，噪音太大，影响休息。",
        "我是大学生，被人以注销校园贷为由骗了八千元，怎么报警？",
        "在游戏平台买游戏账号被卖家找回，损失两千元。",
    ],
)
def test_hard_negatives_are_not_relevant(text: str) -> None:
    s = screen(text)
    assert not s.is_relevant
    assert s.fraud_type == "none"
    assert s.priority == 1


def test_pretext_decides_between_two_forms() -> None:
    # The money went into "investment", but the pretext was a house-for-pension scheme.
    s = screen(
        "对方以“以房养老”为名，让老人把房子抵押借款，再把借款投资他们的理财产品，承诺高息回报，现在全亏了。"
    )
    assert s.fraud_type == "house_pension"
    # The same mechanism sold as an elderly-care service prepayment is elder_service.
    s2 = screen(
        "对方以提供养老服务、优先入住养老公寓为名，让老人交会员费，再承诺会员费每年返利百分之十，现在机构关门了，钱拿不回来。"
    )
    assert s2.fraud_type == "elder_service"


def test_priority_rises_with_victims_money_and_flight() -> None:
    low = screen("我妈被人推销保健品骗了两千块钱。")
    high = screen(
        "经查，犯罪嫌疑人以投资养老项目为名，骗取300余名老年人钱款共计2.3亿元，目前正准备卷款潜逃。"
    )
    assert low.is_relevant and high.is_relevant
    assert high.priority == 4
    assert high.priority > low.priority
    assert high.victims == 300


@pytest.mark.parametrize(
    "bad",
    [
        "",
        None,
        "   \n\t ",
        b"\xff\xfe\x00binary\x00\x81",
        "\x00\x01\x02\x03",
        "🙏😭😡" * 50,
        "养老" * (MAX_CHARS),
        "Mixed English 和中文 text with 养老院 fraud? 骗了 $500 USD",
        "\ud800 lone surrogate 骗",
        12345,
        "１２３４５６７８９０" * 300,
        "（（（（（（（（）））））" * 100,
    ],
)
def test_bad_input_never_raises(bad: object) -> None:
    s = screen(bad)
    assert isinstance(s, Screening)
    assert 0.0 <= s.relevance <= 1.0
    assert s.fraud_type in FRAUD_TYPES
    assert 1 <= s.priority <= 4


def test_huge_input_is_cut_and_says_so() -> None:
    s = screen("我妈被养老院骗了。" + "啊" * (MAX_CHARS + 5000))
    assert s.truncated
    assert any("过长" in r for r in s.reasons)


def test_deterministic() -> None:
    text = CLEAR["elder_project"]
    assert screen(text) == screen(text)


def test_screen_many_in_order_with_workers() -> None:
    texts = [*CLEAR.values(), "小区路灯坏了"] * 5
    one = list(screen_many(iter(texts), workers=1))
    two = list(screen_many(iter(texts), workers=2, chunk_size=3))
    assert one == two
    assert [s.fraud_type for s in one[:8]] == [*CLEAR, "none"]
