"""Password rules beyond Django's: an upper bound (ASVS 6.2.9 — at least 64 allowed; we take 128), so nobody can
make the server hash megabytes."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MaximumLengthValidator:
    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(_("密码不能超过 %(max)d 个字符。"), code="password_too_long",
                                  params={"max": self.max_length})

    def get_help_text(self):
        return _("密码不能超过 %(max)d 个字符。") % {"max": self.max_length}
