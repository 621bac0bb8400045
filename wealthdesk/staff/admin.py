"""Django admin for the system administrator: users with positions, teams, agreements."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Agreement, AgreementAcceptance, StaffRole, Team, User


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [StaffRoleInline]
    list_display = ["username", "full_name", "unit", "team", "is_active", "last_login"]
    list_filter = ["is_active", "role_assignments__role", "unit__kind"]
    search_fields = ["username", "full_name", "employee_no"]
    list_select_related = ["unit", "team"]
    autocomplete_fields = ["unit", "team"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("机构与岗位"), {"fields": ("full_name", "employee_no", "unit", "team")}),)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "lead"]
    search_fields = ["name"]
    list_select_related = ["unit", "lead"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["version", "title", "effective_from"]


@admin.register(AgreementAcceptance)
class AgreementAcceptanceAdmin(admin.ModelAdmin):
    list_display = ["user", "agreement", "accepted_at", "ip"]
    readonly_fields = ["user", "agreement", "accepted_at", "ip"]

    def has_change_permission(self, request, obj=None):
        return False
