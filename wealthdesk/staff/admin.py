"""Django admin for the system administrator: users with positions, teams, agreements."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .models import Agreement, AgreementAcceptance, StaffRole, Team, User
from .services import separation_errors


class StaffRoleFormSet(BaseInlineFormSet):
    """Separation of duties in the admin: the positions left after this save must be allowed for the
    administrator to give (the message names the rule); the change itself is audited by ``staff.signals``."""

    request_user = None

    def clean(self):
        super().clean()
        roles = {f.cleaned_data["role"] for f in self.forms
                 if f.cleaned_data.get("role") and not f.cleaned_data.get("DELETE")}
        errors = separation_errors(actor=self.request_user, user=self.instance, roles=roles)
        if errors:
            raise ValidationError(errors)


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    formset = StaffRoleFormSet
    extra = 1

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request_user = request.user
        return formset


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
