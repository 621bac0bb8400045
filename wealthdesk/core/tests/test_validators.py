"""Resident ID numbers (GB 11643 check digit) and mobile numbers are validated with Chinese messages."""
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from wealthdesk.core.validators import id_check_digit, validate_mainland_id, validate_mobile


def test_a_valid_resident_id_passes():
    validate_mainland_id("11010519491231002X")
    validate_mainland_id("110105198001010016")


@pytest.mark.parametrize("value, code", [
    ("11010519491231002", "id_format"),      # 17 characters
    ("1101051949123100XX", "id_format"),     # letter inside
    ("110105194913310021", "id_birth"),      # 13th month
    ("110105194912310021", "id_check"),      # wrong check digit
])
def test_an_invalid_resident_id_is_refused_with_the_reason(value, code):
    with pytest.raises(ValidationError) as exc:
        validate_mainland_id(value)
    assert exc.value.code == code
    assert "身份证" in exc.value.messages[0]


@given(st.from_regex(r"\A\d{6}(19[5-9]\d|200\d)(0[1-9]|1[0-2])(0[1-9]|1\d|2[0-8])\d{3}\Z"))
def test_the_computed_check_digit_always_validates(first17):
    validate_mainland_id(first17 + id_check_digit(first17))


@pytest.mark.parametrize("mobile", ["12812341234", "1381234123", "138123412345", "2381234123a", ""])
def test_a_malformed_mobile_is_refused(mobile):
    with pytest.raises(ValidationError) as exc:
        validate_mobile(mobile)
    assert "手机号码" in exc.value.messages[0]
