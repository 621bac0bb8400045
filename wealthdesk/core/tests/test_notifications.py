"""core.notifications: written on commit, private to the recipient, read on the inbox page, the bell and the API."""
import pytest
from django.db import transaction

from wealthdesk.core.models import Notification
from wealthdesk.core.notifications import notify, unread_count


@pytest.mark.django_db
def test_notify_waits_for_commit_and_rolls_back_with_the_work(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[world.cm_c1_1, world.cm_c1_1, None, world.cm_c1_2.pk], text="你好", url="/")
    assert Notification.objects.count() == 0 and len(callbacks) == 1
    callbacks[0]()
    assert Notification.objects.count() == 2  # duplicates and None skipped

    class Boom(Exception):
        pass

    with pytest.raises(Boom), django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(recipients=[world.head_c1], text="不会送出")
        raise Boom
    assert not Notification.objects.filter(recipient=world.head_c1).exists()


def _note(world, name="cm_c1_1", text="客户已移交", url="/customers/"):
    return Notification.objects.create(recipient=world.users[name], text=text, url=url)


@pytest.mark.django_db
def test_bell_shows_the_unread_count(login_as, world):
    _note(world)
    _note(world)
    client = login_as("cm_c1_1")
    assert 'data-testid="bell"' in client.get("/customers/").content.decode()
    bell = client.get("/core/notifications/bell/").content.decode()
    assert 'data-testid="unread-count">2<' in bell
    assert "unread-count" not in login_as("cm_c1_2").get("/core/notifications/bell/").content.decode()


@pytest.mark.django_db
def test_inbox_lists_only_own_and_marks_read(login_as, world):
    mine, other = _note(world), _note(world, "cm_c1_2", text="别人的通知")
    client = login_as("cm_c1_1")
    html = client.get("/core/notifications/").content.decode()
    assert "客户已移交" in html and "别人的通知" not in html
    response = client.post("/core/notifications/read/", {"id": mine.pk, "open": "1"})
    assert response.status_code == 302 and response["Location"] == "/customers/"
    mine.refresh_from_db()
    assert mine.is_read
    client.post("/core/notifications/read/", {"id": other.pk})  # someone else's: nothing happens
    other.refresh_from_db()
    assert not other.is_read


@pytest.mark.django_db
def test_inbox_bad_id_gets_a_message(login_as, world):
    _note(world)
    response = login_as("cm_c1_1").post("/core/notifications/read/", {"id": "abc"}, follow=True)
    assert "请提供数字编号" in response.content.decode()
    assert unread_count(world.cm_c1_1) == 1


@pytest.mark.django_db
def test_mark_all_read(login_as, world):
    _note(world)
    _note(world)
    login_as("cm_c1_1").post("/core/notifications/read/")
    assert unread_count(world.cm_c1_1) == 0


@pytest.mark.django_db
def test_notifications_api_is_private_and_marks_read(api_as, world):
    mine, other = _note(world), _note(world, "cm_c1_2")
    api = api_as("cm_c1_1")
    listed = api.get("/api/v1/notifications/?unread=1").json()
    assert [n["id"] for n in listed["results"]] == [mine.pk]
    assert api.get(f"/api/v1/notifications/{other.pk}/").status_code == 404
    assert api.post(f"/api/v1/notifications/{other.pk}/read/").status_code == 404
    read = api.post(f"/api/v1/notifications/{mine.pk}/read/")
    assert read.status_code == 200 and read.json()["read_at"]
    assert api.get("/api/v1/notifications/?unread=yes").status_code == 400
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 0}
