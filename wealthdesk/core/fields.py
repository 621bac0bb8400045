"""Model fields for personal data encrypted at rest (issue 15; the mechanism is ``core.fieldcrypto``).

* ``EncryptedCharField`` — application code reads and writes the clear value; the column (``text``) holds
  ``<key id>:<base64>``. Validation (``max_length``, validators) applies to the clear value. It cannot be
  searched: a lookup with a non-empty value raises (search the blind index instead).
* ``BlindIndexField(source=, kind=)`` and ``MobileTailField(source=)`` — derived columns, always computed from
  the source's clear value when it is loaded (assigning the source keeps them current; ``save(update_fields=)``
  through ``EncryptedModelMixin`` and ``core.concurrency.save_versioned`` write them along with it).
* ``copy_encoder(model, columns)`` — for ``core.bulk.copy_rows``: encrypts the clear cells of a row and appends
  the derived columns, in Python, without touching the database.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import gettext_lazy as _

from . import fieldcrypto


class EncryptedCharField(models.CharField):
    """A short text (ID number, mobile, address…) stored AES-256-GCM encrypted; reads give the clear value."""

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.aad = f"{cls._meta.label}.{name}"

    def db_type(self, connection):
        return "text"

    def cast_db_type(self, connection):
        return "text"

    def from_db_value(self, value, expression, connection):
        return fieldcrypto.decrypt_value(value, self.aad)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value:
            raise ValueError(f"{self.aad} is encrypted and cannot be searched; use its blind index")
        return value

    def get_db_prep_save(self, value, connection):
        value = models.CharField.to_python(self, value)
        return fieldcrypto.encrypt_value(value, self.aad)


class _DerivedAttribute(DeferredAttribute):
    """Computed from the source's clear value whenever that is loaded; otherwise the stored value."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        source = self.field.source_attname
        if source in instance.__dict__:
            return self.field.derive(instance.__dict__[source])
        return super().__get__(instance, cls)

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class DerivedField(models.CharField):
    descriptor_class = _DerivedAttribute

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    @property
    def source_attname(self) -> str:
        return self.model._meta.get_field(self.source).attname

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key in ("editable", "blank", "default"):
            kwargs.pop(key, None)
        return name, path, args, kwargs

    def derive(self, value) -> str:
        raise NotImplementedError


class BlindIndexField(DerivedField):
    """The keyed HMAC of the source's normalised value (``fieldcrypto.blind_index``), for exact matches."""

    def __init__(self, *args, source: str, kind: str, **kwargs):
        self.kind = kind
        kwargs.setdefault("max_length", fieldcrypto.BLIND_INDEX_HEX)
        if not args:
            kwargs.setdefault("verbose_name", _("检索索引"))
        super().__init__(*args, source=source, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def derive(self, value) -> str:
        return fieldcrypto.blind_index(self.kind, value)


class MobileTailField(DerivedField):
    """The mobile's last four digits, in clear, for the list's search by the last digits."""

    def __init__(self, *args, source: str, **kwargs):
        kwargs.setdefault("max_length", 4)
        if not args:
            kwargs.setdefault("verbose_name", _("手机尾号"))
        super().__init__(*args, source=source, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def derive(self, value) -> str:
        return fieldcrypto.mobile_tail(value)


def encrypted_fields(model) -> list[EncryptedCharField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]


def derived_fields(model) -> list[DerivedField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, DerivedField)]


def with_derived(model, names: Iterable[str]) -> list[str]:
    """``names`` plus the derived fields of any source among them (for ``update_fields``)."""
    names = list(names)
    extra = [f.name for f in derived_fields(model) if f.source in names and f.name not in names]
    return names + extra


class EncryptedModelMixin:
    """``save(update_fields=[…"mobile"])`` also writes ``mobile_bidx`` / ``mobile_tail``."""

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None:
            update_fields = with_derived(type(self), update_fields)
        return super().save(*args, update_fields=update_fields, **kwargs)


def copy_encoder(model, columns: Sequence[str]) -> tuple[list[str], Callable[[Sequence], tuple]]:
    """For COPY: the columns to write (``columns`` + the derived ones) and a function turning a row of clear
    values (in ``columns`` order) into the row to write — ciphertext in the encrypted columns, the blind indexes
    and tails appended. Pure Python: safe inside ``copy_rows``' generator."""
    by_column = {f.column: f for f in model._meta.concrete_fields}
    encrypted = [(i, by_column[c].aad) for i, c in enumerate(columns)
                 if isinstance(by_column.get(c), EncryptedCharField)]
    derived = [(columns.index(model._meta.get_field(f.source).column), f) for f in derived_fields(model)
               if f.column not in columns and model._meta.get_field(f.source).column in columns]
    out_columns = [*columns, *(f.column for _i, f in derived)]

    def encode(row: Sequence) -> tuple:
        out = list(row)
        for i, aad in encrypted:
            out[i] = fieldcrypto.encrypt_value(row[i], aad)
        out.extend(f.derive(row[i]) for i, f in derived)
        return tuple(out)

    return out_columns, encode
