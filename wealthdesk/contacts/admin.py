from django.contrib import admin

from .models import ContactPolicy


@admin.register(ContactPolicy)
class ContactPolicyAdmin(admin.ModelAdmin):
    """Head office sets the minimum contact frequency per tier (R26). Contact records themselves are customer
    data and are only reached through the scoped pages and API, not the admin."""

    list_display = ["tier", "interval_months", "updated_at"]
