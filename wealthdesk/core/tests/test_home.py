"""Each role's home page shows real counts for its scope; navigation follows the role."""
import pytest

pytestmark = pytest.mark.django_db


def test_a_client_manager_home_counts_own_customers_by_tier(login_as, world):
    body = login_as("cm_c1_1").get("/?overview=1").content.decode()
    assert 'data-testid="customer-total">1<' in body


def test_a_center_head_home_counts_the_center(login_as, world):
    body = login_as("head_c1").get("/?overview=1").content.decode()
    assert 'data-testid="customer-total">2<' in body


def test_upper_levels_see_units_below_with_customer_counts(login_as, world):
    body = login_as("hq_service").get("/?overview=1").content.decode()
    assert "北京分行" in body and "上海分行" in body and 'data-testid="customer-total">3<' in body


def test_a_teller_has_no_customer_menu(login_as, world):
    body = login_as("teller_c1").get("/?overview=1").content.decode()
    assert 'data-nav="customers"' not in body


def test_the_site_speaks_chinese_by_default_and_english_on_request(client, db):
    assert "登录" in client.get("/accounts/login/").content.decode()
    english = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert english["Content-Language"] == "en" and "Sign in" in english.content.decode()


def test_openapi_schema_and_docs_page(login_as, world):
    client = login_as("cm_c1_1")
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"/api/v1/customers/" in schema.content
    assert client.get("/api/v1/docs/").status_code == 200


def test_a_center_head_home_counts_the_centers_staff(login_as, world):
    body = login_as("head_c1").get("/?overview=1").content.decode()
    assert 'data-testid="staff-total">9<' in body  # the nine people of center 1 in the personas


def test_a_busy_roles_navigation_is_grouped_into_sections(login_as, world):
    body = login_as("head_c1").get("/?overview=1").content.decode()
    assert 'data-nav-section="customers"' in body and 'data-nav-section="admin"' in body
    section = body.split('data-nav-section="customers"')[1].split("</ul>")[0]
    assert 'data-nav="customers"' in section and 'data-nav="alerts.center"' in section
