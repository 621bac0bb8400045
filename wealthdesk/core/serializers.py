"""Serializer fields shared by every app's API: masked personal data (R28)."""
from rest_framework import serializers

from . import masking


class MaskedField(serializers.CharField):
    """Writes take the clear value; reads always return it masked."""

    def __init__(self, kind: str, **kwargs):
        self.kind = kind
        super().__init__(**kwargs)

    def to_representation(self, value):
        return masking.MASKERS[self.kind](value)
