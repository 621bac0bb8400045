"""R28 masking: ID numbers, mobiles, addresses and account numbers are masked by default."""
from hypothesis import given
from hypothesis import strategies as st

from wealthdesk.core.masking import mask_account, mask_address, mask_id_number, mask_mobile, mask_name


def test_id_number_keeps_first_and_last_character_only():
    assert mask_id_number("110105198001010016") == "1****************6"


def test_mobile_shows_first_three_and_last_four_digits():
    assert mask_mobile("13812341234") == "138****1234"


def test_address_is_cut_after_the_district():
    assert mask_address("北京市朝阳区建国路88号3栋1201室") == "北京市朝阳区****"
    assert mask_address("上海市浦东新区世纪大道1号") == "上海市浦东新区****"
    assert mask_address("广东省东莞市长安镇振安路1号") == "广东省东莞市****"


def test_account_and_name_masks():
    assert mask_account("6222021234567890123") == "622202*********0123"
    assert mask_name("张伟") == "张*"
    assert mask_name("欧阳娜娜") == "欧阳**"


def test_empty_values_stay_empty():
    assert mask_id_number("") == mask_mobile(None) == mask_address("") == ""


@given(st.from_regex(r"\A1[3-9]\d{9}\Z"))
def test_a_masked_mobile_never_contains_the_middle_digits(mobile):
    masked = mask_mobile(mobile)
    assert masked[3:7] == "****" and len(masked) == 11 and mobile[3:7] not in masked[3:7]


@given(st.from_regex(r"\A\d{17}[\dX]\Z"))
def test_a_masked_id_number_reveals_two_characters_at_most(id_number):
    masked = mask_id_number(id_number)
    assert masked.count("*") == 16
