"""Load the State Council's public holidays and adjusted working days (调休) from 2025 on, as the pinned
``chinesecalendar`` package carries them, so a production install (``migrate`` only) counts deadlines right.
Days already present (head office's edits, demo data) are kept."""
from django.db import migrations

NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}


def load(apps, schema_editor):
    from chinese_calendar.constants import Holiday, holidays, workdays

    CalendarDay = apps.get_model("core", "CalendarDay")

    def name(english):
        try:
            chinese = Holiday(english).chinese
        except ValueError:
            return english[:60]
        return NAMES.get(chinese, chinese)

    existing = set(CalendarDay.objects.filter(date__year__gte=2025).values_list("date", flat=True))
    rows = [CalendarDay(date=d, is_working_day=False, name=name(v)) for d, v in holidays.items()
            if d.year >= 2025 and d not in existing]
    rows += [CalendarDay(date=d, is_working_day=True, name=f"{name(v)}调休上班") for d, v in workdays.items()
             if d.year >= 2025 and d not in existing]
    CalendarDay.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_append_only")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
