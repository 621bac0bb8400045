from django.contrib import admin

from .models import TierThreshold


@admin.register(TierThreshold)
class TierThresholdAdmin(admin.ModelAdmin):
    """Head office edits the tier thresholds (R2). Customers themselves are managed in the app, not here."""

    list_display = ["tier", "min_aum", "updated_at"]
