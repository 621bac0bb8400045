from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wealthdesk.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from . import access_audit, deadlines, nav  # noqa: F401  deadline parameters, core navigation, audit receivers

        access_audit.connect_axes()
        from django.db.backends.signals import connection_created

        from .audit_chain import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="wd_audit_hash")
        self._sane_api_dates()

    @staticmethod
    def _sane_api_dates() -> None:
        """Every ModelSerializer's date and datetime fields check the house range (core.dates)."""
        from django.db import models
        from rest_framework.serializers import ModelSerializer

        from .dates import SaneDateSerializerField, SaneDateTimeSerializerField

        ModelSerializer.serializer_field_mapping[models.DateField] = SaneDateSerializerField
        ModelSerializer.serializer_field_mapping[models.DateTimeField] = SaneDateTimeSerializerField

        # A read-only choice field of a blank model field can answer "": keep ``allow_blank`` so that the schema's
        # enum lists "" (DRF drops it for read-only fields; schemathesis found open complaints' empty outcome).
        if not getattr(ModelSerializer.include_extra_kwargs, "_wd_blank_choices", False):
            original = ModelSerializer.include_extra_kwargs

            def include_extra_kwargs(serializer, kwargs, extra_kwargs):
                blank_choice = "choices" in kwargs and kwargs.get("allow_blank", False)
                kwargs = original(serializer, kwargs, extra_kwargs)
                if blank_choice and kwargs.get("read_only"):
                    kwargs["allow_blank"] = True
                return kwargs

            include_extra_kwargs._wd_blank_choices = True
            ModelSerializer.include_extra_kwargs = include_extra_kwargs
