"""Input hygiene in one place (core.validators via the base model and the API serializer mixin): control
characters are refused at input (tab and line breaks only in multi-line text), free text has a sane maximum
length, and the message names the field; nothing is stored."""
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from wealthdesk.contacts import services
from wealthdesk.contacts.models import ContactRecord
from wealthdesk.core.validators import TEXT_MAX_LENGTH

pytestmark = pytest.mark.django_db


def _now_local() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def test_the_page_form_refuses_a_control_character_naming_the_field(login_as, world):
    response = login_as("cm_c1_1").post(f"/contacts/new/?customer={world.cust_a.pk}",
                                        {"customer": world.cust_a.pk, "kind": "phone", "contacted_at": _now_local(),
                                         "content": "客户说\u0001好"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    body = response.content.decode()
    assert "“内容”含有不可见的控制字符（U+0001）" in body
    assert ContactRecord.objects.count() == 0


def test_the_page_form_refuses_a_megabyte_note(login_as, world):
    response = login_as("cm_c1_1").post(f"/contacts/new/?customer={world.cust_a.pk}",
                                        {"customer": world.cust_a.pk, "kind": "phone", "contacted_at": _now_local(),
                                         "content": "长" * 1_000_000}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert f"“内容”最多 {TEXT_MAX_LENGTH} 个字符" in response.content.decode()
    assert ContactRecord.objects.count() == 0


def test_the_api_refuses_control_characters_and_over_long_text_naming_the_field(api_as, world):
    client = api_as("cm_c1_1")
    base = {"customer": world.cust_a.pk, "kind": "phone", "contacted_at": timezone.now().isoformat()}
    response = client.post("/api/v1/contacts/", {**base, "purpose": "回访\u0007"}, format="json")
    assert response.status_code == 400 and "purpose" in response.json()
    assert "控制字符" in response.json()["purpose"][0]
    response = client.post("/api/v1/contacts/", {**base, "content": "x" * (TEXT_MAX_LENGTH + 1)}, format="json")
    assert response.status_code == 400 and "content" in response.json()
    assert ContactRecord.objects.count() == 0
    ok = client.post("/api/v1/contacts/", {**base, "content": "第一行\n第二行\t备注"}, format="json")
    assert ok.status_code == 201  # line breaks and tabs are fine in multi-line text


def test_services_enforce_it_through_full_clean(world):
    with pytest.raises(ValidationError) as exc:
        services.contact_create(actor=world.cm_c1_1, customer=world.cust_a, kind="meeting",
                                contacted_at=timezone.now(), place="会议室\n二楼")
    assert "place" in exc.value.message_dict and "控制字符" in exc.value.message_dict["place"][0]
    assert ContactRecord.objects.count() == 0
