"""Every date input shows its value: browsers accept only ISO values (YYYY-MM-DD) in <input type=date>, so every
date and date-time field of every form renders through core.widgets (one widget, ISO format in every language)."""
import datetime as dt
import importlib
import inspect

import pytest
from django import forms
from django.apps import apps
from django.utils import timezone, translation

from wealthdesk.core.widgets import DateInput, DateTimeInput


def _form_classes():
    for config in apps.get_app_configs():
        if not config.name.startswith("wealthdesk."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_every_date_field_of_every_form_uses_the_iso_widget():
    checked, wrong = 0, []
    for cls in _form_classes():
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.DateTimeField):
                checked += 1
                if not isinstance(field.widget, DateTimeInput):
                    wrong.append(f"{cls.__module__}.{cls.__name__}.{name}")
            elif isinstance(field, forms.DateField):
                checked += 1
                if not isinstance(field.widget, DateInput):
                    wrong.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert checked >= 5 and wrong == []


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_date_inputs_render_iso_values_in_every_language(lang):
    with translation.override(lang):
        assert 'value="2026-09-25"' in DateInput().render("d", dt.date(2026, 9, 25))
        assert 'type="date"' in DateInput().render("d", None)
        html = DateTimeInput().render("t", dt.datetime(2026, 9, 25, 9, 30))
        assert 'type="datetime-local"' in html and 'value="2026-09-25T09:30"' in html


@pytest.mark.django_db
def test_complaint_form_shows_todays_received_on(world):
    from wealthdesk.complaints.forms import ComplaintForm

    with translation.override("zh-hans"):
        html = str(ComplaintForm(user=world.head_c1)["received_on"])
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in html
