from stdnum.cn import ric

from silvershield.core import identity


def _id(prefix: str, birth: str, seq: str = "001") -> str:
    body = f"{prefix}{birth}{seq}"
    return body + ric.calc_check_digit(body + "0")


def test_elderly_reporters_ids_issued_with_later_county_codes_are_accepted() -> None:
    # 长兴县's code 330522 dates from 1983; a person born in 1938 holds a number with it.
    number = _id("330522", "19380517")
    assert identity.normalize_id_number(number) == number
    # stdnum's full validation would wrongly refuse it (birth year before the code existed).
    try:
        ric.validate(number)
        refused_by_stdnum = False
    except Exception:
        refused_by_stdnum = True
    assert refused_by_stdnum


def test_bad_id_numbers_are_refused() -> None:
    good = _id("330502", "19560101")
    wrong_check = good[:-1] + ("1" if good[-1] != "1" else "2")
    assert identity.normalize_id_number(wrong_check) is None
    assert identity.normalize_id_number(_id("990000", "19560101")) is None  # unknown area code
    assert identity.normalize_id_number(_id("330502", "19561399")) is None  # no such date
    assert identity.normalize_id_number("3305021956") is None
    assert identity.normalize_id_number(good.lower()) == good


def test_masks_keep_only_the_edges() -> None:
    assert identity.mask_phone("13805720001") == "138****0001"
    assert identity.mask_name("王秀英") == "王**"
    assert identity.mask_id_number("330502195601010011") == "3305**********0011"
