"""Customer upkeep (R3, R28, R29): editing master data by role, versioned edits, reassignment of one customer and
of a leaving client manager's book, the history of responsible managers, notifications and overload flags."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wealthdesk.core.models import AuditAction, AuditLog, Notification
from wealthdesk.core.params import set_param
from wealthdesk.core.summaries import rebuild
from wealthdesk.core.testing.permissions import AccessMatrix
from wealthdesk.core.testing.race import needs_postgres, race
from wealthdesk.customers import services
from wealthdesk.customers.choices import Tier
from wealthdesk.customers.models import Customer, ManagerAssignment
from wealthdesk.staff.models import StaffRole, User

NO_CUSTOMER_ROLE = ("teller_c1", "lobby_c1", "advisor_1", "admin")


def _fresh(world, key="cust_a"):
    return Customer.objects.get(pk=world.customers[key].pk)


def _book(world, manager, n, *, tier=Tier.PREMIUM, start=100):
    """``n`` more customers for ``manager`` in their center, AUM falling with the index."""
    rows = [Customer(cif_no=f"C9{start + i:08d}", name=f"客户{start + i}", id_type="passport",
                     id_number=f"P{start + i:08d}", center_id=manager.unit_id, client_manager=manager, tier=tier,
                     aum_avg=Decimal(1_000_000 - i * 10_000)) for i in range(n)]
    return Customer.objects.bulk_create(rows)


# --- who may ------------------------------------------------------------------------------------------------

class TestCustomerEditPage(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "archivist_c1", "subbranch1_service", "branch1_service", "hq_service")
    forbidden = NO_CUSTOMER_ROLE + ("lead_c1", "auditor", "supervisor_c1", "quality_b1")
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/customers/{world.cust_a.pk}/edit/"


class TestCustomerReassignPage(AccessMatrix):
    allowed = ("head_c1", "subbranch1_service", "branch1_service", "hq_service")
    forbidden = NO_CUSTOMER_ROLE + ("cm_c1_1", "archivist_c1", "lead_c1", "auditor", "quality_b1")
    hidden = ("head_c2",)

    def url(self, world):
        return f"/customers/{world.cust_a.pk}/reassign/"


class TestBulkReassignPage(AccessMatrix):
    allowed = ("head_c1", "head_c2", "branch1_service", "hq_service")
    forbidden = NO_CUSTOMER_ROLE + ("cm_c1_1", "archivist_c1", "lead_c1", "auditor")

    def url(self, world):
        return "/customers/reassign/"


class TestCustomerPatchApi(AccessMatrix):
    api = True
    method = "patch"
    allowed = ("cm_c1_1", "head_c1", "archivist_c1", "hq_service")
    forbidden = NO_CUSTOMER_ROLE + ("lead_c1", "auditor")
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/api/v1/customers/{world.cust_a.pk}/"

    def payload(self, world):
        c = _fresh(world)
        return {"version": c.version, "occupation": f"教师{c.version}"}


class TestCustomerReassignApi(AccessMatrix):
    api = True
    method = "post"
    allowed = ("head_c1", "subbranch1_service", "hq_service")
    forbidden = NO_CUSTOMER_ROLE + ("cm_c1_1", "archivist_c1", "lead_c1")
    hidden = ("head_c2", "cm_c2_1")

    def url(self, world):
        return f"/api/v1/customers/{world.cust_a.pk}/reassign/"

    def payload(self, world):
        c = _fresh(world)
        other = world.cm_c1_2 if c.client_manager_id == world.cm_c1_1.pk else world.cm_c1_1
        return {"to_manager": other.pk, "version": c.version}


# --- editing --------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_client_manager_changes_the_mobile_of_an_own_customer(world):
    customer = services.customer_update(actor=world.cm_c1_1, customer=world.cust_a, version=1, mobile="13900001111")
    assert customer.mobile == "13900001111" and customer.version == 2
    row = AuditLog.objects.get(action=AuditAction.CHANGE, customer_id=world.cust_a.pk)
    assert row.detail == {"fields": ["mobile"]}  # which fields, never the values
    assert "13900001111" not in str(row.detail)


@pytest.mark.django_db
def test_client_manager_may_not_rename_a_customer(world):
    with pytest.raises(PermissionDenied, match="姓名"):
        services.customer_update(actor=world.cm_c1_1, customer=world.cust_a, name="张三")
    assert _fresh(world).name == "张伟"


@pytest.mark.django_db
def test_archive_keeper_edits_master_data_but_not_id_number_or_mobile(world):
    services.customer_update(actor=world.archivist_c1, customer=world.cust_a, name="张伟伟", occupation="医生")
    assert _fresh(world).name == "张伟伟"
    for field, value in (("mobile", "13900001111"), ("id_number", "110105198001010032"), ("tier", Tier.PRIVATE)):
        with pytest.raises(PermissionDenied):
            services.customer_update(actor=world.archivist_c1, customer=world.cust_a, **{field: value})


@pytest.mark.django_db
def test_the_manager_cannot_be_changed_by_editing(world):
    with pytest.raises(ValidationError) as exc:
        services.customer_update(actor=world.head_c1, customer=world.cust_a, client_manager=world.cm_c1_2)
    assert "client_manager" in exc.value.message_dict


@pytest.mark.django_db
def test_a_stale_edit_is_refused_and_changes_nothing(world):
    services.customer_update(actor=world.head_c1, customer=world.cust_a, version=1, occupation="律师")
    with pytest.raises(ValidationError) as exc:
        services.customer_update(actor=world.archivist_c1, customer=world.cust_a, version=1, occupation="教师")
    assert "已被他人修改" in exc.value.message_dict["version"][0]
    assert _fresh(world).occupation == "律师"


@pytest.mark.django_db
def test_edit_page_never_shows_masked_fields_in_clear(login_as, world):
    client = login_as("head_c1")
    html = client.get(f"/customers/{world.cust_a.pk}/edit/").content.decode()
    assert "13812341234" not in html and "110105198001010016" not in html and "建国路88号" not in html
    assert "138****1234" in html


@pytest.mark.django_db
def test_edit_page_saves_and_blank_masked_fields_stay(login_as, world):
    client = login_as("head_c1")
    c = _fresh(world)
    data = {"version": c.version, "cif_no": c.cif_no, "name": "张伟", "gender": "M", "birth_date": "1980-01-01",
            "id_type": c.id_type, "id_number": "", "mobile": "", "address": "", "occupation": "工程师",
            "risk_level": "", "status": c.status, "tier": c.tier}
    response = client.post(f"/customers/{c.pk}/edit/", data)
    assert response.status_code == 302
    c2 = _fresh(world)
    assert c2.occupation == "工程师" and c2.mobile == "13812341234" and c2.id_number == "110105198001010016"
    assert c2.version == c.version + 1


@pytest.mark.django_db
def test_edit_page_bad_mobile_gets_a_message_and_changes_nothing(login_as, world):
    client = login_as("cm_c1_1")
    response = client.post(f"/customers/{world.cust_a.pk}/edit/",
                           {"version": 1, "mobile": "12345", "address": "", "occupation": ""})
    assert response.status_code == 400
    assert 'data-error-for="mobile"' in response.content.decode()
    assert _fresh(world).mobile == "13812341234"


@pytest.mark.django_db
def test_edit_page_stale_version_says_so(login_as, world):
    services.customer_update(actor=world.head_c1, customer=world.cust_a, version=1, occupation="律师")
    client = login_as("cm_c1_1")
    response = client.post(f"/customers/{world.cust_a.pk}/edit/",
                           {"version": 1, "mobile": "", "address": "", "occupation": "教师"})
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    assert _fresh(world).occupation == "律师"


@pytest.mark.django_db
def test_api_patch_answers_masked_and_needs_version(api_as, world):
    api = api_as("cm_c1_1")
    url = f"/api/v1/customers/{world.cust_a.pk}/"
    assert api.patch(url, {"mobile": "13900001111"}, format="json").status_code == 400
    response = api.patch(url, {"mobile": "13900001111", "version": 1}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["mobile"] == "139****1111" and response.json()["version"] == 2
    stale = api.patch(url, {"occupation": "教师", "version": 1}, format="json")
    assert stale.status_code == 409 and "version" in stale.json()


@pytest.mark.django_db
def test_api_patch_bad_input_names_the_field(api_as, world):
    api = api_as("head_c1")
    url = f"/api/v1/customers/{world.cust_a.pk}/"
    bad = api.patch(url, {"mobile": "12", "version": 1}, format="json")
    assert bad.status_code == 400 and "mobile" in bad.json()
    moved = api.patch(url, {"client_manager": world.cm_c1_2.pk, "version": 1}, format="json")
    assert moved.status_code == 400 and "client_manager" in moved.json()
    denied = api_as("archivist_c1").patch(url, {"mobile": "13900001111", "version": 1}, format="json")
    assert denied.status_code == 403
    assert _fresh(world).mobile == "13812341234" and _fresh(world).version == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_edits_of_one_version_have_one_winner(world):
    outcomes = race(lambda i: services.customer_update(
        actor=User.objects.get(username="head_c1"), customer=Customer.objects.get(pk=world.cust_a.pk), version=1,
        occupation=f"职业{i}"))
    assert sum(o == "ok" for o in outcomes) == 1, outcomes
    assert all(o == "ok" or isinstance(o, ValidationError) for o in outcomes)
    assert _fresh(world).version == 2


# --- reassignment ---------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_reassigning_one_customer_keeps_history_audit_and_tells_both(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.customer_reassign(actor=world.head_c1, customer=world.cust_a, to_manager=world.cm_c1_2,
                                   reason="调岗", version=1)
    c = _fresh(world)
    assert c.client_manager_id == world.cm_c1_2.pk and c.version == 2
    h = ManagerAssignment.objects.get(customer=c)
    assert (h.from_manager_id, h.to_manager_id, h.changed_by_id, h.reason) == (
        world.cm_c1_1.pk, world.cm_c1_2.pk, world.head_c1.pk, "调岗")
    audit = AuditLog.objects.get(action=AuditAction.CHANGE, customer_id=c.pk)
    assert audit.detail == {"what": "reassign", "from": world.cm_c1_1.pk, "to": world.cm_c1_2.pk}
    new = Notification.objects.get(recipient=world.cm_c1_2)
    old = Notification.objects.get(recipient=world.cm_c1_1)
    assert "已移交给您" in new.text and new.url == f"/customers/{c.pk}/"
    assert "张伟" not in new.text + old.text  # names masked in notifications
    assert Notification.objects.count() == 2


@pytest.mark.django_db
def test_reassignment_needs_a_client_manager_of_the_same_center(world):
    for target in (world.cm_c2_1, world.lead_c1, world.cm_c1_1):
        with pytest.raises(ValidationError):
            services.customer_reassign(actor=world.head_c1, customer=world.cust_a, to_manager=target)
    with pytest.raises(PermissionDenied):
        services.customer_reassign(actor=world.archivist_c1, customer=world.cust_a, to_manager=world.cm_c1_2)
    assert _fresh(world).client_manager_id == world.cm_c1_1.pk and not ManagerAssignment.objects.exists()


@pytest.mark.django_db
def test_customer_page_shows_the_history_of_managers(login_as, world):
    services.customer_reassign(actor=world.head_c1, customer=world.cust_a, to_manager=world.cm_c1_2, reason="调岗")
    html = login_as("head_c1").get(f"/customers/{world.cust_a.pk}/").content.decode()
    assert 'data-testid="manager-history"' in html and "调岗" in html and "cm_c1_1" in html


@pytest.mark.django_db
def test_reassign_page_posts_and_warns_about_overload(login_as, world):
    set_param("cm.max_customers", 1)
    client = login_as("head_c1")
    page = client.get(f"/customers/{world.cust_a.pk}/reassign/").content.decode()
    assert "上限 1" in page
    response = client.post(f"/customers/{world.cust_a.pk}/reassign/",
                           {"to_manager": world.cm_c1_2.pk, "version": 1}, follow=True)
    assert _fresh(world).client_manager_id == world.cm_c1_2.pk
    assert "已超过上限" in response.content.decode()


@pytest.mark.django_db
def test_reassign_page_bad_choice_gets_a_message(login_as, world):
    response = login_as("head_c1").post(f"/customers/{world.cust_a.pk}/reassign/",
                                        {"to_manager": world.cm_c2_1.pk, "version": 1})
    assert response.status_code == 400 and 'data-error-for="to_manager"' in response.content.decode()
    assert _fresh(world).client_manager_id == world.cm_c1_1.pk


def _third_manager(world):
    user = User.objects.create(username="cm_c1_3", full_name="cm_c1_3", unit=world.c1)
    StaffRole.objects.create(user=user, role="client_manager")
    return user


@pytest.mark.django_db
def test_plan_balances_by_count_and_by_aum(world):
    targets = [world.cm_c1_2, _third_manager(world)]
    book = _book(world, world.cm_c1_1, 6)
    by_count = services.plan_reassignment(book, targets, balance="count")
    assert sorted(len(g) for g in by_count.values()) == [3, 3]
    rich = Customer(pk=10**6, aum_avg=Decimal("5000000"))
    by_aum = services.plan_reassignment([rich, *book], targets, balance="aum")
    assert [len(g) for g in by_aum.values()] in ([1, 6], [6, 1])


@pytest.mark.django_db
def test_bulk_reassignment_by_tier(world, django_capture_on_commit_callbacks):
    third = _third_manager(world)
    _book(world, world.cm_c1_1, 4)
    _book(world, world.cm_c1_1, 2, tier=Tier.ORDINARY, start=200)
    with django_capture_on_commit_callbacks(execute=True):
        plan = services.customers_reassign_bulk(actor=world.head_c1, from_manager=world.cm_c1_1,
                                                to_managers=[world.cm_c1_2, third], tiers=[Tier.CORE, Tier.PREMIUM],
                                                reason="离职")
    assert sum(len(g) for g in plan.values()) == 5  # cust_a (core) + 4 premium; ordinary stay
    assert Customer.objects.filter(client_manager=world.cm_c1_1).count() == 2
    assert ManagerAssignment.objects.filter(from_manager=world.cm_c1_1).values("batch").distinct().count() == 1
    # one row per customer, one per batch update (core.audit.audited_update)
    assert AuditLog.objects.filter(action=AuditAction.CHANGE, detail__what="reassign").count() == 5 + 2
    assert Notification.objects.filter(recipient=world.cm_c1_1).count() == 1
    assert Notification.objects.filter(recipient__in=[world.cm_c1_2, third]).count() == 2


@pytest.mark.django_db
def test_bulk_reassignment_refuses_bad_choices(world):
    cases = [
        {"to_managers": [], "tiers": [Tier.CORE]},
        {"to_managers": [world.cm_c1_1], "tiers": [Tier.CORE]},
        {"to_managers": [world.cm_c2_1], "tiers": [Tier.CORE]},
        {"to_managers": [world.cm_c1_2], "tiers": []},
        {"to_managers": [world.cm_c1_2], "tiers": [Tier.PRIVATE]},  # cm_c1_1 has no private customer
    ]
    for case in cases:
        with pytest.raises(ValidationError):
            services.customers_reassign_bulk(actor=world.head_c1, from_manager=world.cm_c1_1, **case)
    assert not ManagerAssignment.objects.exists()


@pytest.mark.django_db
def test_bulk_page_previews_then_confirms(login_as, world):
    set_param("cm.max_customers", 2)
    _book(world, world.cm_c1_1, 3)
    client = login_as("head_c1")
    data = {"from_manager": world.cm_c1_1.pk, "tiers": [Tier.CORE, Tier.PREMIUM], "to_managers": [world.cm_c1_2.pk],
            "balance": "count", "reason": "离职", "confirm": "0"}
    preview = client.post("/customers/reassign/", data).content.decode()
    assert 'data-testid="bulk-preview"' in preview and 'data-testid="overload-warning"' in preview
    assert Customer.objects.filter(client_manager=world.cm_c1_1).count() == 4  # nothing moved yet
    done = client.post("/customers/reassign/", {**data, "confirm": "1"}, follow=True)
    assert done.status_code == 200
    assert Customer.objects.filter(client_manager=world.cm_c1_1).count() == 0


@pytest.mark.django_db
def test_bulk_page_bad_input_names_the_field(login_as, world):
    client = login_as("head_c1")
    response = client.post("/customers/reassign/", {"from_manager": world.cm_c1_1.pk, "tiers": ["gold"],
                                                    "to_managers": [world.cm_c1_1.pk], "balance": "x"})
    html = response.content.decode()
    assert response.status_code == 400
    for field in ("tiers", "to_managers", "balance"):
        assert f'data-error-for="{field}"' in html, field


@pytest.mark.django_db
def test_bulk_api_dry_run_then_run(api_as, world):
    _book(world, world.cm_c1_1, 2)
    api = api_as("head_c1")
    body = {"from_manager": world.cm_c1_1.pk, "to_managers": [world.cm_c1_2.pk], "tiers": ["core", "premium"]}
    dry = api.post("/api/v1/customers/reassign-bulk/", {**body, "dry_run": True}, format="json")
    assert dry.status_code == 200 and dry.json()["total"] == 3
    assert not ManagerAssignment.objects.exists()
    run = api.post("/api/v1/customers/reassign-bulk/", body, format="json")
    assert run.status_code == 200 and run.json()["total"] == 3
    bad = api.post("/api/v1/customers/reassign-bulk/", {**body, "tiers": ["gold"]}, format="json")
    assert bad.status_code == 400 and "tiers" in bad.json()
    assert api_as("archivist_c1").post("/api/v1/customers/reassign-bulk/", body, format="json").status_code == 403


@pytest.mark.django_db
def test_head_page_flags_overloaded_client_managers(login_as, world):
    set_param("cm.max_customers", 2)
    _book(world, world.cm_c1_1, 2)
    rebuild()  # bulk_create bypasses the summaries' upkeep, as a load does before it rebuilds them
    html = login_as("head_c1").get("/worklogs/team/").content.decode()
    assert 'data-testid="overloaded-managers"' in html and "cm_c1_1" in html.split('overloaded-managers')[1][:400]


@pytest.mark.django_db
def test_overloaded_managers_from_the_summary_equal_the_live_book(world):
    """Issue 16: the overloaded managers are found in the maintained CustomerCount, kept by the customer writes."""
    from wealthdesk.customers.selectors import manager_book, overloaded_managers

    set_param("cm.max_customers", 2)
    _book(world, world.cm_c1_1, 3)
    _book(world, world.cm_c1_2, 2, start=200)
    rebuild()

    def same():
        for who in (world.head_c1, world.subbranch1_service, world.branch1_service, world.hq_service):
            live = [(r["manager"].pk, r["premium"], r["total"]) for r in manager_book(who) if r["overloaded"]]
            assert [(r["manager"].pk, r["premium"], r["total"]) for r in overloaded_managers(who)] == live
        return [r["manager"].pk for r in overloaded_managers(world.hq_service)]

    assert world.cm_c1_1.pk in same()
    before = {r["manager"].pk: r["premium"] for r in overloaded_managers(world.hq_service)}
    customer = Customer.objects.filter(client_manager=world.cm_c1_1, tier=Tier.PREMIUM).first()
    services.customer_reassign(actor=world.head_c1, customer=customer, to_manager=world.cm_c1_2,
                               version=customer.version)
    same()  # the transfer's transaction kept the summary: still equal to the live book
    after = {r["manager"].pk: r["premium"] for r in overloaded_managers(world.hq_service)}
    assert after[world.cm_c1_1.pk] == before[world.cm_c1_1.pk] - 1
    assert overloaded_managers(world.head_c2) == [] or all(
        r["manager"].unit_id == world.c2.pk for r in overloaded_managers(world.head_c2))


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_reassignments_have_one_winner(world):
    outcomes = race(lambda i: services.customer_reassign(
        actor=User.objects.get(username="head_c1"), customer=Customer.objects.get(pk=world.cust_a.pk),
        to_manager=User.objects.get(username="cm_c1_2"), version=1))
    assert sum(o == "ok" for o in outcomes) == 1, outcomes
    assert ManagerAssignment.objects.filter(customer_id=world.cust_a.pk).count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_bulk_hand_overs_of_one_book_have_one_winner(world):
    _book(world, world.cm_c1_1, 5)
    outcomes = race(lambda i: services.customers_reassign_bulk(
        actor=User.objects.get(username="head_c1"), from_manager=User.objects.get(username="cm_c1_1"),
        to_managers=[User.objects.get(username="cm_c1_2")], tiers=[Tier.CORE, Tier.PREMIUM]))
    assert sum(o == "ok" for o in outcomes) == 1, outcomes
    assert ManagerAssignment.objects.count() == 6
