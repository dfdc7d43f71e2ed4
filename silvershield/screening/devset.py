"""Build the development set ``data/devset.jsonl`` (hand-written texts plus texts composed from
templates), with a frozen held-out split.

    python -m silvershield.screening.devset          # (re)write data/devset.jsonl

The split of a text is decided by a CRC of its text (30% held out), so re-running the builder
never moves an existing text between splits. Training and tuning read only ``split == "train"``.
"""

from __future__ import annotations

import json
import random
import zlib
from pathlib import Path
from typing import Final

from silvershield.screening.devset_hand import HAND

DEVSET_PATH: Final = Path(__file__).parent / "data" / "devset.jsonl"
HELDOUT_SHARE: Final = 30  # percent


def split_of(text: str) -> str:
    return "heldout" if zlib.crc32(text.encode("utf-8")) % 100 < HELDOUT_SHARE else "train"


WHO_3RD = [
    "其母亲",
    "其父亲",
    "其岳母",
    "其外婆",
    "其爷爷",
    "辖区独居老人赵某",
    "退休职工孙某",
    "七十多岁的邻居",
    "所在社区的几位老人",
    "年过八旬的老父亲",
    "其婆婆（76岁）",
    "老伴",
]
WHO_1ST = [
    "我妈",
    "我爸",
    "我家老爷子",
    "我婆婆",
    "我外公",
    "我奶奶",
    "我岳父",
    "我姥姥",
    "我们小区的大爷大妈",
    "我父母",
]
KIN_DIALECT = ["俺娘", "俺爹", "俺家老头", "俺婆婆", "额妈", "阿拉姆妈", "我屋里老人家", "俺奶"]
ORGS = [
    "福满堂",
    "康乐源",
    "金晖",
    "寿星园",
    "颐心",
    "鹤年",
    "松柏苑",
    "天伦",
    "祥和居",
    "嘉禾",
    "红枫",
    "德寿",
    "永安泰",
    "瑞福",
    "九如",
]
ORG_KIND = {
    "elder_service": ["养老公寓", "养老服务中心", "颐养院", "康养中心", "老年公寓", "养老院"],
    "elder_project": ["养老产业投资有限公司", "康养科技有限公司", "健康产业集团", "养老投资公司"],
    "elder_product": ["生物科技有限公司", "健康体验馆", "养生会所", "健康管理公司"],
    "house_pension": ["财富管理公司", "投资咨询有限公司", "资产管理公司"],
    "pension_insurance": ["社保咨询服务部", "人力资源服务公司", "劳务服务公司"],
    "elder_aid": ["公益基金会", "爱心助老协会", "老龄关怀服务中心"],
    "other_elder": ["文化传播有限公司", "收藏品公司", "旅行社", "艺术品有限公司"],
}
AMOUNTS = [
    "两万元",
    "三万五千元",
    "5.8万元",
    "八万多",
    "十二万元",
    "20万元",
    "四千块钱",
    "6800元",
    "一万九千八",
    "三十多万",
    "1.5万元",
    "九千元",
    "十几万",
    "五十万元",
]
COUNTS = ["30余名", "二十多名", "上百名", "十几位", "40多名", "一百二十余名", "60名", "数十名"]
ASKS = [
    "请相关部门核查处理。",
    "要求退款。",
    "希望有关部门尽快调查。",
    "请求帮助追回损失。",
    "来电人情绪激动，要求严查。",
    "",
    "请公安机关介入。",
]
PLEAS = [
    "求求你们帮帮忙",
    "这钱可是老人的救命钱啊",
    "现在该怎么办",
    "请你们管一管",
    "希望政府给做主",
    "老人气得都病倒了",
    "家里人都不知道",
]
DIALECT_PLEAS = ["这可咋整啊", "咋弄嘛", "你们给管管撒", "这钱还能要回来不", "真是造孽哦"]

# Scenario clauses per type: narrative (v: victim's side) and case (c: police/court register).
SCEN: Final[dict[str, dict[str, list[str]]]] = {
    "elder_service": {
        "v": [
            "在{org}交了{amt}的会员费，说是办了卡以后入住打折还能返现，现在{org}关门了，钱也退不了",
            "被拉去参观{org}，对方说先交{amt}预订床位，以后随时能住进去，结果交完钱一直不让入住，人也找不到了",
            "办了{org}的“终身养老卡”，一次性付了{amt}，现在说机构换了法人，卡不认了",
            "在{org}预交了三年的服务费{amt}，没住几个月那边就说经营困难要停业，押金也不退",
            "被{org}的人上门推销居家养老服务套餐，交了{amt}，说每周上门护理两次，结果一次也没来过",
            "被忽悠认购了{org}的床位使用权，花了{amt}，说每年返百分之八，现在不返了",
        ],
        "c": [
            "以{org}名义向老年人销售养老服务预付卡，承诺入住享受优惠和高额返利，共向{n}老人收取预付费{amt}，后资金链断裂无法兑付",
            "以开办{org}为名收取{n}老年人床位费、会员费共计{amt}，所收款项大部分被挥霍，致使老人无法入住",
            "打着提供养老服务的旗号，以“交费入住、终身养老”为诱饵，收取{n}老人预付款{amt}后关闭{org}潜逃",
        ],
    },
    "elder_project": {
        "v": [
            "听了{org}的推介会，投了{amt}买他们的养老项目股份，说年底分红百分之二十，现在公司人去楼空",
            "被{org}的业务员拉去投资养老基地，签了合同交了{amt}，每月返利息，返了两个月就停了",
            "把{amt}借给{org}建康养小镇，说月息两分，到期连本金都拿不回来了",
            "被人忽悠买了{org}的原始股，说明年上市翻十倍，前后投了{amt}，现在老板跑路了",
            "在{org}买了养老理财，说钱投到养老院建设里保本保息，到期提不出来了，一共{amt}",
            "加入了一个养老合作社，入股{amt}，说每年分红还发米面油，现在社长失联",
        ],
        "c": [
            "以投资养老产业项目、承诺高额回报为诱饵，通过{org}向{n}老年人非法吸收公众存款{amt}",
            "以建设养老基地需要融资为名，虚构项目收益，向{n}中老年人集资{amt}，用于偿还前期本息和个人挥霍",
            "成立{org}，以认购养老项目股权、按月分红为名，骗取{n}老年人投资款共计{amt}",
        ],
    },
    "elder_product": {
        "v": [
            "天天去{org}听健康讲座领鸡蛋，后来被推销了一套保健品，花了{amt}，说能治高血压，吃了一点用没有",
            "参加{org}组织的免费体检，检查完说有严重心脑血管问题，让买他们的理疗仪，{amt}一台",
            "被{org}的“专家”忽悠买了{amt}的特效药，说吃三个疗程糖尿病就能根治",
            "在{org}买了磁疗床垫，说能治风湿和失眠，花了{amt}，其实就是普通床垫",
            "被人带到{org}的养生课堂，听课送礼品，最后被劝着买了{amt}的营养品",
            "接到{org}的回访电话，说身体指标异常要买他们的口服液调理，先后汇款{amt}",
        ],
        "c": [
            "以免费体检、健康讲座为幌子吸引老年人，夸大产品功效，高价销售普通保健食品，骗取{n}老人钱款{amt}",
            "组织会销团队，冒充医学专家，以销售具有“治疗功效”的保健品为名，骗取{n}老年人{amt}",
            "通过{org}以赠送礼品、免费理疗吸引老人，进而虚假宣传医疗器械功效，销售金额达{amt}",
        ],
    },
    "house_pension": {
        "v": [
            "被{org}的人说动了搞“以房养老”，把房子抵押借了{amt}交给他们理财，现在利息不给了，房子还要被收走",
            "被人带去公证处签了委托书，说是办以房养老，结果房子被过户了，对方只给了{amt}",
            "把房本交给{org}办抵押，说每个月能领养老钱，领了不到半年就断了，放贷的天天上门催{amt}",
            "在{org}签了个“以房养老”协议，房子抵押出去借款{amt}，钱都被公司拿去投资了，现在公司失联",
        ],
        "c": [
            "以“以房养老”可获高额收益为诱饵，诱骗{n}老年人将房产抵押借款，借款{amt}转入其控制的{org}后被占用",
            "以帮助老年人办理以房养老为名，骗取老人签署房屋抵押、委托公证文件，非法处置房产，涉案金额{amt}",
            "通过{org}宣传以房养老理财，诱使{n}老人抵押自住房产，骗取借款{amt}",
        ],
    },
    "pension_insurance": {
        "v": [
            "被人说能代办补缴养老保险，一次交{amt}以后每月能领退休金，交了钱以后对方就不接电话了",
            "找{org}办提前退休，对方说有内部指标，收了{amt}的代办费，到现在也没办成",
            "接到电话说养老金要上调，得先交{amt}的手续费，不交就不给调",
            "被熟人介绍找{org}挂靠补缴社保，交了{amt}，结果社保记录里什么都没有",
            "被人忽悠说可以把工龄多算几年，养老金能涨一大截，先交了{amt}的“活动费”",
        ],
        "c": [
            "谎称可以通过关系为超龄人员代办补缴养老保险，收取{n}老年人代办费{amt}后据为己有",
            "冒充社保部门工作人员，以办理提前退休、调整养老金待遇为名，骗取{n}老人钱款{amt}",
            "以{org}名义承诺代缴职工养老保险，收取{amt}后仅为少数人缴纳，其余占为己有",
        ],
    },
    "elder_aid": {
        "v": [
            "接到自称民政局的电话，说有高龄补贴要发，先要交{amt}手续费，交了就联系不上了",
            "有人冒充社区工作人员上门做养老金认证，说不认证就停发，收了{amt}的认证费",
            "收到短信说国家给老年人发放养老补助，点链接输入了银行卡信息，卡里{amt}被转走",
            "被{org}的人登记领取“助老帮扶金”，说要先交{amt}的保证金才能激活",
            "被人拉进一个“政府惠老”群，说扫码就能领慰问金，扫完被扣了{amt}",
        ],
        "c": [
            "冒充民政部门工作人员，以发放养老补贴、困难救助金为名，骗取{n}老年人手续费、激活费共计{amt}",
            "冒用{org}名义，谎称为老年人申领国家养老帮扶资金，收取申报费{amt}",
            "以为老人办理养老金资格认证为由，骗取{n}老人银行卡信息，转走存款{amt}",
        ],
    },
    "other_elder": {
        "v": [
            "被{org}推销了一套纪念币，说半年后高价回购，花了{amt}，现在回购的人找不到了",
            "参加了个低价一日游，被拉到购物店逼着买玉石，花了{amt}",
            "接到冒充公安的电话说涉嫌洗钱，让把钱转到安全账户，转了{amt}",
            "在网上认识了个“老伴”，对方说生意周转借钱，前后转了{amt}，后来被拉黑了",
            "接到个电话说是孙子出车祸了要赔钱，急急忙忙转了{amt}过去",
            "被{org}说家里的老字画值钱，交了{amt}的鉴定费和拍卖费，东西到现在没拍出去",
        ],
        "c": [
            "以高价回购为诱饵，向{n}老年人推销所谓收藏品、纪念钞，骗取钱款{amt}",
            "冒充公检法工作人员，以老人涉嫌违法需资金核查为由，骗取{n}老年人{amt}",
            "通过婚恋交友方式结识丧偶老人，以恋爱为名编造理由骗取{n}老人钱款{amt}",
        ],
    },
}

HARD_NEG: Final = [
    "{who3}入住的{orgn}养老院饭菜太咸，护工喂饭不耐心，{ask}",
    "{who3}的养老金本月推迟发放，询问社保经办机构未得到明确答复，{ask}",
    "{who3}在{orgn}老年公寓摔伤，家属与院方就医疗费用承担发生纠纷，{ask}",
    "楼下{orgn}大药房搞促销送礼品，音响从早放到晚，老人小孩都休息不好，{ask}",
    "咨询{who3}办理养老保险转移接续需要哪些手续，在外地缴的社保能不能转回来",
    "反映{orgn}养老服务中心护理人员不足、卫生条件差，老人身上有异味也没人管，{ask}",
    "{who3}每月养老金比邻居少了几百块，怀疑核定有误，要求社保部门重新核算",
    "{who3}申请高龄津贴材料交上去三个月了还没批下来，窗口工作人员推诿，{ask}",
    "小区门口的保健品体验店每天排长队领鸡蛋，占用人行道，堵得轮椅都过不去，{ask}",
    "{who3}想咨询以房养老保险政策，了解一下正规的住房反向抵押怎么办理",
    "{orgn}养老院的收费每年都涨，今年床位费又涨了三百，也没有提前告知，{ask}",
    "社区开展防范养老诈骗宣传，{who3}听完讲座说学到了很多，希望以后多办",
    "有在校大学生反映被冒充客服的人以退款为由骗走{amt}，请求公安机关处理",
    "来电人（28岁）反映在网上做刷单兼职被骗{amt}，对方已将其拉黑",
    "一名初中生在游戏里交易装备被骗，用家长手机支付了{amt}",
    "来电人反映下载了一个网贷APP，借款前被要求交“验资费”{amt}，没拿到贷款",
    "年轻人反映在交友软件上被诱导投资虚拟币，亏损{amt}",
    "{who3}在医院看病排队时间太长，挂号难，希望医院增加窗口",
    "{who3}的社保卡无法在药店刷卡，询问是否需要激活",
    "反映{orgn}敬老院消防通道堆放杂物，存在安全隐患，{ask}",
    "{who3}养老金被错扣了医保费，去银行查了几次说不清楚，{ask}",
    "咨询退休后养老金调整什么时候到账，今年涨了多少",
    "我妈在养老院的探视时间被限制得太严，一周只能见一次，家属有意见",
    "反映某小区老年活动室被占作他用，老人没有地方活动，{ask}",
    "学生家长反映孩子在网上买明星演唱会门票被骗{amt}，卖家已失联",
]
EASY_NEG: Final = [
    "来电人反映{place}路段井盖破损，夜间行人容易摔倒，{ask}",
    "反映小区物业长期不打扫楼道，垃圾堆积有异味，{ask}",
    "楼下烧烤店油烟太大，影响居民开窗通风，{ask}",
    "来电人反映公交车经常晚点，早上上班很不方便",
    "某工地夜间施工噪音扰民，已经持续半个月，{ask}",
    "来电人反映单位拖欠工资{amt}，要求劳动监察介入",
    "反映某超市销售过期食品，要求市场监管部门查处",
    "小区停车位被外来车辆长期占用，业主无处停车，{ask}",
    "来电人反映家中宽带经常断网，运营商维修不及时",
    "反映{place}一处红绿灯时间设置不合理，行人过马路来不及",
    "邻居家的狗整夜叫，严重影响休息，{ask}",
    "来电人咨询孩子上小学的入学政策和报名时间",
    "反映某培训机构收费后不退费，要求退还学费{amt}",
    "来电人反映供暖温度不达标，室内只有十五度",
]
PLACES = ["{c}人民路", "{c}建设大道", "{c}解放街", "{c}东风路"]
CITIES = ["杭州市", "合肥市", "郑州市", "成都市", "南昌市", "济南市", "长沙市", "昆明市"]
# Look-alike typos seen in real hotline records (同音/形近字).
TYPOS = {
    "骗": "偏",
    "养": "氧",
    "老": "佬",
    "钱": "前",
    "费": "废",
    "交": "缴",
    "款": "欵",
    "保险": "保显",
    "公司": "公私",
    "退": "腿",
    "诈": "咋",
}
TRAD = {
    v: k
    for k, v in [
        ("養", "养"),
        ("騙", "骗"),
        ("錢", "钱"),
        ("險", "险"),
        ("費", "费"),
        ("認", "认"),
        ("證", "证"),
        ("補", "补"),
        ("貼", "贴"),
        ("產", "产"),
        ("項", "项"),
        ("們", "们"),
        ("說", "说"),
        ("這", "这"),
        ("個", "个"),
    ]
}


def _noise(text: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.12:
        for a, b in TYPOS.items():
            if a in text and rng.random() < 0.5:
                text = text.replace(a, b, 1)
    elif r < 0.2:
        text = "".join(TRAD.get(ch, ch) for ch in text)
    elif r < 0.27:
        text = text.translate({c: c + 0xFEE0 for c in range(ord("0"), ord("9") + 1)})
    elif r < 0.33:
        text = text.replace("，", " ").replace("。", "!!") + rng.choice(["😭😭", "🙏", "😡", "..."])
    return text


def _fill(template: str, rng: random.Random, ftype: str) -> str:
    org = rng.choice(ORGS) + rng.choice(ORG_KIND.get(ftype, ["公司"]))
    return template.format(
        org=org,
        amt=rng.choice(AMOUNTS),
        n=rng.choice(COUNTS),
        who3=rng.choice(WHO_3RD),
        orgn=rng.choice(ORGS),
        ask=rng.choice(ASKS) or "请处理。",
        place=rng.choice(PLACES).format(c=rng.choice(CITIES)),
    )


def generate(
    rng: random.Random, per_type: int = 55, hard_neg: int = 60, easy_neg: int = 40
) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for ftype, scen in SCEN.items():
        for _ in range(per_type):
            register = rng.choice(["hotline", "family", "police", "dialect", "hotline", "family"])
            if register == "police":
                body = _fill(rng.choice(scen["c"]), rng, ftype)
                head = rng.choice(
                    ["经查，犯罪嫌疑人", "经审理查明，被告人", "警方通报：犯罪团伙", "经侦查，"]
                )
                name = rng.choice(["王某", "李某某", "陈某等人", "张某某", "刘某团伙", ""])
                text = f"{head}{name}{body}。{rng.choice(['案件正在进一步侦办中。', '现已被依法刑事拘留。', '', '检察机关已提起公诉。'])}"
            else:
                body = _fill(rng.choice(scen["v"]), rng, ftype)
                if register == "hotline":
                    text = f"来电人反映：{rng.choice(WHO_3RD)}{body}。{rng.choice(ASKS)}"
                elif register == "family":
                    text = f"{rng.choice(WHO_1ST)}{body}，{rng.choice(PLEAS)}。"
                else:
                    text = f"{rng.choice(KIN_DIALECT)}{body}，{rng.choice(DIALECT_PLEAS)}"
            out.append((ftype, _noise(text, rng)))
    for _ in range(hard_neg):
        out.append(("none", _noise(_fill(rng.choice(HARD_NEG), rng, "none"), rng)))
    for _ in range(easy_neg):
        out.append(("none", _noise(_fill(rng.choice(EASY_NEG), rng, "none"), rng)))
    return out


def build(seed: int = 20260101) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for label, text in HAND:
        if text not in seen:
            seen.add(text)
            rows.append({"text": text, "label": label, "source": "hand", "split": split_of(text)})
    for label, text in generate(rng):
        if text not in seen:
            seen.add(text)
            rows.append({"text": text, "label": label, "source": "gen", "split": split_of(text)})
    return rows


def load(split: str | None = None) -> list[dict[str, str]]:
    rows = []
    with DEVSET_PATH.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                if split is None or row["split"] == split:
                    rows.append(row)
    return rows


def main() -> None:
    rows = build()
    with DEVSET_PATH.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    by: dict[tuple[str, str], int] = {}
    for r in rows:
        by[(r["label"], r["split"])] = by.get((r["label"], r["split"]), 0) + 1
    for (label, split), n in sorted(by.items()):
        print(f"{label:18} {split:8} {n}")


if __name__ == "__main__":
    main()
