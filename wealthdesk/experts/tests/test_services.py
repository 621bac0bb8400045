"""Consultations through their services (R4): asked on the own book only, summary masked, one taker, ask back and
reply, answer with PDF/image attachments only, bookings inside availability, use recorded and rated, closed."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wealthdesk.core.deadlines import due_date
from wealthdesk.core.models import AuditLog
from wealthdesk.corebanking.choices import ProductKind
from wealthdesk.corebanking.models import Holding, Product
from wealthdesk.experts import services
from wealthdesk.experts.choices import ConsultationStatus, Level, Urgency, Usage
from wealthdesk.experts.models import ConsultationAttachment
from wealthdesk.experts.summary import aum_band

from .factories import answered, ask, pool

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_a_consultation_goes_to_the_branch_queue_with_a_masked_summary(world):
    product = Product.objects.create(code="F001", name="稳健基金", kind=ProductKind.FUND)
    Holding.objects.create(customer=world.cust_a, product=product, account_no="6222000011112222",
                           amount=Decimal("300000"), start_date=dt.date(2026, 1, 1))
    c = ask(world, question="张伟（C000000001，13812341234）想调整基金")
    assert c.queue_unit == world.branch1 and c.status == ConsultationStatus.QUEUED
    assert c.summary == {"tier": "core", "aum_band": "100万–300万元", "age_band": c.summary["age_band"],
                         "risk_level": "", "product_kinds": ["fund"]}
    assert "张伟" not in c.question and "C000000001" not in c.question and "13812341234" not in c.question
    assert c.due_on == due_date("consultation.normal", timezone.localdate())


def test_urgency_decides_the_due_date(world):
    pool(world)
    c = services.consultation_ask(actor=world.cm_c1_1, customer=world.cust_a, question="急", specialty="tax",
                                  urgency=Urgency.CRITICAL, level=Level.HEAD_OFFICE)
    assert c.due_on == due_date("consultation.critical", timezone.localdate()) and c.queue_unit == world.hq


def test_a_customer_outside_the_own_book_is_refused_and_audited(world):
    pool(world)
    with pytest.raises(ValidationError) as exc:
        services.consultation_ask(actor=world.cm_c1_1, customer=world.cust_a2, question="问", specialty="funds",
                                  level=Level.BRANCH)
    assert "不在您的客户名单中" in str(exc.value.message_dict["customer"])
    assert AuditLog.objects.filter(action="denied", actor=world.cm_c1_1, detail__what="consultation_ask").exists()
    assert not world.cust_a2.consultations.exists()


def test_only_client_managers_ask(world):
    pool(world)
    with pytest.raises(PermissionDenied):
        services.consultation_ask(actor=world.head_c1, customer=world.cust_a, question="问", specialty="funds",
                                  level=Level.BRANCH)


def test_a_named_expert_must_serve_above_and_know_the_specialty(world):
    members = pool(world)
    with pytest.raises(ValidationError) as exc:
        services.consultation_ask(actor=world.cm_c1_1, customer=world.cust_a, question="问", specialty="credit",
                                  requested_expert=members["advisor_1"])
    assert "requested_expert" in exc.value.message_dict


def test_one_taker_then_ask_back_reply_answer_book_close_and_rate(world):
    c = ask(world)
    services.consultation_take(actor=world.expert_1, consultation=c)
    with pytest.raises(ValidationError):
        services.consultation_take(actor=world.expert_1, consultation=c)
    services.consultation_ask_back(actor=world.expert_1, consultation=c, text="客户的期限要求？")
    assert c.status == ConsultationStatus.ASKED_BACK
    services.consultation_reply(actor=world.cm_c1_1, consultation=c, text="张伟希望一年内可用")
    assert c.status == ConsultationStatus.TAKEN and "张伟" not in c.messages.last().text
    upload = SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf")
    services.consultation_answer(actor=world.expert_1, consultation=c, text="建议均衡配置", files=[upload])
    att = ConsultationAttachment.objects.get(consultation=c)
    assert att.content_type == "application/pdf" and att.size == len(PDF)
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=2), dt.time(10)))
    services.booking_propose(actor=world.expert_1, consultation=c, starts_at=start,
                             ends_at=start + dt.timedelta(hours=1), place="贵宾室")
    services.consultation_close(actor=world.cm_c1_1, consultation=c, usage=Usage.ADOPTED, usage_note="已采纳",
                                rating=4)
    c.refresh_from_db()
    assert c.status == ConsultationStatus.CLOSED and c.rating == 4 and c.usage == Usage.ADOPTED
    with pytest.raises(ValidationError) as exc:
        services.consultation_rate(actor=world.cm_c1_1, consultation=c, rating=5)
    assert "已评价" in str(exc.value)


def test_an_answer_after_close_is_refused_and_audited(world):
    c = answered(world)
    services.consultation_close(actor=world.cm_c1_1, consultation=c, usage=Usage.PARTLY)
    with pytest.raises(ValidationError) as exc:
        services.consultation_answer(actor=world.advisor_1, consultation=c, text="补充答复")
    assert "已关闭" in str(exc.value)
    assert AuditLog.objects.filter(action="denied", actor=world.advisor_1, detail__what="consultation_answer").exists()
    c.refresh_from_db()
    assert c.answer == "建议分批调整为均衡配置"


def test_a_booking_outside_the_availability_is_refused(world):
    members = pool(world)
    members["expert_1"].slots.all().delete()
    c = ask(world)
    services.consultation_take(actor=world.expert_1, consultation=c)
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=2), dt.time(10)))
    with pytest.raises(ValidationError) as exc:
        services.booking_propose(actor=world.expert_1, consultation=c, starts_at=start,
                                 ends_at=start + dt.timedelta(hours=1))
    assert "可预约时段" in str(exc.value)
    assert not c.bookings.exists()


def test_overlapping_bookings_are_refused(world):
    c = ask(world)
    services.consultation_take(actor=world.expert_1, consultation=c)
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=2), dt.time(10)))
    services.booking_propose(actor=world.expert_1, consultation=c, starts_at=start,
                             ends_at=start + dt.timedelta(hours=1))
    with pytest.raises(ValidationError):
        services.booking_propose(actor=world.expert_1, consultation=c, starts_at=start + dt.timedelta(minutes=30),
                                 ends_at=start + dt.timedelta(hours=2))


@pytest.mark.parametrize("name, content, reason", [
    ("x.exe", b"MZ\x90\x00" * 10, "只能上传 PDF 或图片"),
    ("fake.pdf", b"<html><script>alert(1)</script>", "只能上传 PDF 或图片"),
    ("empty.png", b"", "文件为空"),
])
def test_attachments_are_pdf_or_images_only(world, name, content, reason):
    c = ask(world)
    services.consultation_take(actor=world.expert_1, consultation=c)
    with pytest.raises(ValidationError) as exc:
        services.consultation_answer(actor=world.expert_1, consultation=c, text="答复",
                                     files=[SimpleUploadedFile(name, content)])
    assert reason in str(exc.value)
    c.refresh_from_db()
    assert c.status == ConsultationStatus.TAKEN and not c.attachments.exists()


def test_attachments_are_size_capped(world):
    from wealthdesk.core.params import set_param

    set_param("consultation.attachment_max_kb", 1)
    c = ask(world)
    services.consultation_take(actor=world.expert_1, consultation=c)
    with pytest.raises(ValidationError) as exc:
        services.consultation_answer(actor=world.expert_1, consultation=c, text="答复",
                                     files=[SimpleUploadedFile("big.pdf", PDF + b"0" * 2048)])
    assert "超过大小上限" in str(exc.value)


def test_an_advisor_takes_only_what_is_named_to_them(world):
    c = ask(world, level=Level.HEAD_OFFICE)
    with pytest.raises(PermissionDenied):
        services.consultation_take(actor=world.advisor_1, consultation=c)


def test_the_aum_bands_hide_the_exact_figure():
    assert aum_band(Decimal("1500000.00")) == "100万–300万元"
    assert aum_band(Decimal("8000000")) == "600万–1000万元"
    assert aum_band(Decimal("100")) == "20万元以下"


def test_keepers_maintain_only_their_subtree(world):
    pool(world)
    with pytest.raises(PermissionDenied):
        services.member_revoke(actor=world.branch1_service, member=world.advisor_1.pool_member, reason="x")
    services.member_revoke(actor=world.hq_service, member=world.advisor_1.pool_member, reason="合作终止")
    with pytest.raises(ValidationError):
        services.member_revoke(actor=world.hq_service, member=world.advisor_1.pool_member, reason="again")
