"""Writes of the customer-voice app (DESIGN rule 2): keyword-only, atomic, validated, audited."""
from .needs import CARD_WRITERS, card_create, question_answer, question_ask, question_due_on, question_tell
from .opinions import (
                       OPINION_HANDLERS,
                       opinion_assign,
                       opinion_close,
                       opinion_post,
                       opinion_to_card,
                       opinion_to_complaint,
)
from .reports import REPORT_AUTHORS, report_build, report_submit, report_update
from .surveys import SURVEY_BUILDERS, response_record, survey_add_question, survey_close, survey_create, survey_publish

__all__ = [
    "CARD_WRITERS", "card_create", "question_answer", "question_ask", "question_due_on", "question_tell",
    "OPINION_HANDLERS", "opinion_assign", "opinion_close", "opinion_post", "opinion_to_card", "opinion_to_complaint",
    "REPORT_AUTHORS", "report_build", "report_submit", "report_update",
    "SURVEY_BUILDERS", "response_record", "survey_add_question", "survey_close", "survey_create", "survey_publish",
]
