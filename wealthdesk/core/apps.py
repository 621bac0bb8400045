from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wealthdesk.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from . import nav  # noqa: F401  registers the core navigation entries

        self._sane_api_dates()

    @staticmethod
    def _sane_api_dates() -> None:
        """Every ModelSerializer's date and datetime fields check the house range (core.dates)."""
        from django.db import models
        from rest_framework.serializers import ModelSerializer

        from .dates import SaneDateSerializerField, SaneDateTimeSerializerField

        ModelSerializer.serializer_field_mapping[models.DateField] = SaneDateSerializerField
        ModelSerializer.serializer_field_mapping[models.DateTimeField] = SaneDateTimeSerializerField
