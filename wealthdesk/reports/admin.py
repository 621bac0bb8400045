from django.contrib import admin

from .models import Report, TopicSuggestion


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("kind", "unit", "author", "period_start", "status", "due_on")
    list_filter = ("kind", "status")
    readonly_fields = ("snapshot",)


@admin.register(TopicSuggestion)
class TopicSuggestionAdmin(admin.ModelAdmin):
    list_display = ("title", "unit", "period_start")
