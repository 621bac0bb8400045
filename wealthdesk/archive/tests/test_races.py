"""DESIGN rule 13 for paper files (R29): 20 keepers' requests checking the same file out at once — one wins."""
import pytest
from django.core.exceptions import ValidationError

from wealthdesk.archive import services
from wealthdesk.archive.models import PaperCheckout, PaperFile
from wealthdesk.core.testing.races import race, requires_postgres
from wealthdesk.staff.models import User

from .helpers import paper


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_check_outs_of_one_file_check_it_out_once(world):
    p = paper(world)

    def prepare():
        return PaperFile.objects.get(pk=p.pk), User.objects.get(username="archivist_c1"), \
            User.objects.get(username="cm_c1_1")

    result = race(lambda a: services.paper_file_check_out(actor=a[1], paper_file=a[0], holder=a[2],
                                                          purpose="客户回访核对签字"), prepare=prepare)
    result.assert_one_winner(ValidationError)
    assert all("已借出" in " ".join(e.messages) for e in result.errors)
    assert PaperCheckout.objects.filter(paper_file_id=p.pk).count() == 1
    assert PaperFile.objects.get(pk=p.pk).version == 2


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_check_ins_close_the_loan_once(world):
    p = paper(world)
    services.paper_file_check_out(actor=world.archivist_c1, paper_file=p, holder=world.cm_c1_1, purpose="调阅资料")

    def prepare():
        return PaperFile.objects.get(pk=p.pk), User.objects.get(username="archivist_c1")

    result = race(lambda a: services.paper_file_check_in(actor=a[1], paper_file=a[0]), prepare=prepare)
    result.assert_one_winner(ValidationError)
    assert PaperCheckout.objects.get(paper_file_id=p.pk).returned_at is not None
