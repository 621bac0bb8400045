"""The permission matrix of every experts page and endpoint (DESIGN rule 9): keepers, client managers, heads,
coordinators, pool members, the outsider center and the wrong roles."""
import pytest

from wealthdesk.core.testing.permissions import AccessMatrix

from .factories import answered, ask, pool

WRONG = ("teller_c1", "lobby_c1", "archivist_c1", "admin", "auditor", "quality_b1")


class TestPoolList(AccessMatrix):
    allowed = ("hq_service", "branch1_service", "subbranch1_service")
    forbidden = ("cm_c1_1", "head_c1", "advisor_1", "expert_1", *WRONG)

    def url(self, world):
        pool(world)
        return "/experts/"


class TestPoolExport(TestPoolList):
    def url(self, world):
        pool(world)
        return "/experts/?format=xlsx"


class TestPoolDetail(AccessMatrix):
    allowed = ("hq_service", "branch1_service", "subbranch1_service")
    forbidden = ("cm_c1_1", "advisor_1", "expert_1", *WRONG)

    def url(self, world):
        return f"/experts/{pool(world)['expert_1'].pk}/"


class TestPoolDetailOfHeadOffice(AccessMatrix):
    """The levels above are read by the branch and sub-branch (whom their centers may ask), kept by head office."""

    allowed = ("hq_service", "branch1_service", "subbranch1_service")
    forbidden = ("cm_c1_1", "expert_1")

    def url(self, world):
        return f"/experts/{pool(world)['advisor_1'].pk}/"


class TestPoolCreatePage(AccessMatrix):
    allowed = ("hq_service", "branch1_service")
    forbidden = ("subbranch1_service", "cm_c1_1", "advisor_1", *WRONG)

    def url(self, world):
        return "/experts/new/"


class TestRevoke(AccessMatrix):
    method = "post"
    ok_status = (302,)
    allowed = ("hq_service",)
    forbidden = ("cm_c1_1", "advisor_1", "subbranch1_service", "branch1_service")

    def url(self, world):
        return f"/experts/{pool(world)['advisor_1'].pk}/revoke/"

    def payload(self, world):
        return {"revoke_reason": "合作终止"}


class TestConsultationList(AccessMatrix):
    allowed = ("cm_c1_1", "lead_c1", "head_c1", "subbranch1_service", "branch1_service", "hq_service", "cm_c2_1")
    forbidden = ("advisor_1", "expert_1", *WRONG)

    def url(self, world):
        ask(world)
        return "/experts/consultations/"


class TestConsultationExport(TestConsultationList):
    def url(self, world):
        ask(world)
        return "/experts/consultations/?format=xlsx"


class TestAskPage(AccessMatrix):
    allowed = ("cm_c1_1", "cm_c2_1")
    forbidden = ("head_c1", "hq_service", "advisor_1", "expert_1", *WRONG)

    def url(self, world):
        return "/experts/consultations/new/"


class TestConsultationDetail(AccessMatrix):
    allowed = ("cm_c1_1", "lead_c1", "head_c1", "subbranch1_service", "branch1_service", "hq_service", "advisor_1")
    forbidden = WRONG
    hidden = ("cm_c2_1", "head_c2", "cm_c1_2", "expert_1")

    def url(self, world):
        return f"/experts/consultations/{ask(world, named='advisor_1').pk}/"


class TestQueuedAtBranchIsSeenByTheBranchExpertOnly(AccessMatrix):
    allowed = ("expert_1", "cm_c1_1")
    hidden = ("advisor_1", "cm_c2_1")

    def url(self, world):
        return f"/experts/consultations/{ask(world).pk}/"


class TestTake(AccessMatrix):
    method = "post"
    ok_status = (302,)
    allowed = ("advisor_1",)
    forbidden = WRONG
    hidden = ("expert_1", "cm_c2_1")

    def url(self, world):
        return f"/experts/consultations/{ask(world, named='advisor_1').pk}/take/"


class TestMyWork(AccessMatrix):
    allowed = ("advisor_1", "expert_1")
    forbidden = ("cm_c1_1", "head_c1", "hq_service", *WRONG)

    def url(self, world):
        return "/experts/mine/"


class TestAttachment(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "advisor_1")
    forbidden = WRONG
    hidden = ("cm_c2_1", "expert_1")

    def url(self, world):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from wealthdesk.experts import services

        c = ask(world, named="advisor_1")
        services.consultation_take(actor=world.advisor_1, consultation=c)
        services.consultation_answer(actor=world.advisor_1, consultation=c, text="答复", files=[
            SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)])
        return f"/experts/consultations/{c.pk}/files/{c.attachments.get().pk}/"


class TestApiExperts(AccessMatrix):
    api = True
    allowed = ("hq_service", "branch1_service", "cm_c1_1", "advisor_1", "expert_1")
    forbidden = WRONG

    def url(self, world):
        pool(world)
        return "/api/v1/experts/"


class TestApiConsultations(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "hq_service", "advisor_1", "expert_1")
    forbidden = WRONG

    def url(self, world):
        return "/api/v1/consultations/"


class TestApiConsultationDetail(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "advisor_1")
    forbidden = WRONG
    hidden = ("cm_c2_1", "expert_1", "cm_c1_2")

    def url(self, world):
        return f"/api/v1/consultations/{ask(world, named='advisor_1').pk}/"


class TestApiClose(AccessMatrix):
    api = True
    method = "post"
    allowed = ("cm_c1_1",)
    forbidden = ("advisor_1", "head_c1", *WRONG)
    hidden = ("cm_c2_1",)

    def url(self, world):
        return f"/api/v1/consultations/{answered(world).pk}/close/"

    def payload(self, world):
        return {"usage": "adopted"}


@pytest.mark.django_db
def test_each_persona_sees_only_the_consultations_in_their_scope(world):
    from wealthdesk.experts.models import Consultation

    mine = ask(world, named="advisor_1")
    queued = ask(world)
    seen = lambda name: set(Consultation.objects.visible_to(world.users[name]).values_list("pk", flat=True))  # noqa: E731
    assert seen("cm_c1_1") == {mine.pk, queued.pk} == seen("head_c1") == seen("hq_service")
    assert seen("advisor_1") == {mine.pk}
    assert seen("expert_1") == {queued.pk}
    assert seen("cm_c2_1") == seen("cm_c1_2") == seen("teller_c1") == set()
