"""Print the current code of the demo authenticator secret (development and demo settings only)."""
from binascii import unhexlify

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP


class Command(BaseCommand):
    help = "Print the current six-digit code of the demo authenticator secret (WD_DEMO_TOTP_KEY)."

    def handle(self, *args, **options):
        key = getattr(settings, "WD_DEMO_TOTP_KEY", None)
        if not key:
            raise CommandError("WD_DEMO_TOTP_KEY is not set in these settings (never in production).")
        totp = TOTP(unhexlify(key))
        self.stdout.write(f"{totp.token():06d}")
