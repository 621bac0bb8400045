"""Batch work over encrypted columns (issue 15): the upgrade's first encryption, key rotation, re-indexing.

``process_table(connection, model, mode=…)`` walks a table in primary-key order, ``batch`` rows at a time, with
plain SQL (no ORM decryption, so it also works on clear rows and inside migrations with historical models):

* ``encrypt`` — clear values → ciphertext under the current key, derived columns filled (the upgrade migration;
  a value already encrypted is left as it is, so a re-run changes nothing);
* ``decrypt`` — the reverse (the migration's way back);
* ``rotate`` — only rows with a value not under the current key (found by SQL, so an interrupted run resumes
  where it stopped and a second run finds nothing), re-encrypted with the current key;
* ``reindex`` — the blind indexes and tails recomputed from the clear values (after ``WD_BLIND_INDEX_KEY``
  changed); only rows whose index differs are written.

Each batch is one ``UPDATE`` per changed row inside ``transaction.atomic`` (committed batch by batch outside an
outer transaction). ``progress(done, last_pk)`` is called after each batch.
"""
from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from . import fieldcrypto
from .fields import derived_fields, encrypted_fields

MODES = ("encrypt", "decrypt", "rotate", "reindex")


def _like_prefix(key_id: str) -> str:
    return key_id.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + ":%"


def _read(value, aad: str, mode: str):
    """The clear value of a stored cell; in ``encrypt``/``decrypt`` mode a cell that is not ciphertext is clear."""
    if not value:
        return value
    if mode in ("encrypt", "decrypt") and fieldcrypto.stored_key_id(value) not in fieldcrypto.key_ring().keys:
        return value
    return fieldcrypto.decrypt_value(value, aad)


def process_table(connection, model, *, mode: str, batch: int = 2000, after: int = 0,
                  progress: Callable[[int, int], None] | None = None) -> int:
    """Run ``mode`` over ``model``'s table; returns the number of rows written."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    enc, der = encrypted_fields(model), derived_fields(model)
    if not enc:
        return 0
    qn = connection.ops.quote_name
    table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
    cols = [qn(f.column) for f in enc]
    where, params = "", []
    if mode == "rotate":
        prefix = _like_prefix(fieldcrypto.current_key_id())
        where = " AND (" + " OR ".join(f"({c} <> '' AND {c} NOT LIKE %s ESCAPE '\\')" for c in cols) + ")"
        params = [prefix] * len(cols)
    select = f"SELECT {pk}, {', '.join(cols)} FROM {table} WHERE {pk} > %s{where} ORDER BY {pk} LIMIT %s"
    sources = [next(i for i, f in enumerate(enc) if f.name == d.source) for d in der]
    if mode == "reindex":
        set_cols = [qn(d.column) for d in der]
    elif mode == "rotate":
        set_cols = cols
    else:
        set_cols = cols + [qn(d.column) for d in der]
    if not set_cols:
        return 0
    update = f"UPDATE {table} SET {', '.join(f'{c} = %s' for c in set_cols)} WHERE {pk} = %s"
    if mode == "reindex":
        stored_derived = f"SELECT {pk}, {', '.join(qn(d.column) for d in der)} FROM {table} WHERE {pk} IN "
    written, last = 0, after
    while True:
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute(select, [last, *params, batch])
                rows = cursor.fetchall()
                if not rows:
                    break
                last = rows[-1][0]
                current = {}
                if mode == "reindex":
                    ids = [r[0] for r in rows]
                    cursor.execute(stored_derived + "(" + ", ".join(["%s"] * len(ids)) + ")", ids)
                    current = {r[0]: tuple(r[1:]) for r in cursor.fetchall()}
                changes = []
                for row_pk, *stored in rows:
                    clear = [_read(v, f.aad, mode) for v, f in zip(stored, enc, strict=True)]
                    derived = [d.derive(clear[i]) for d, i in zip(der, sources, strict=True)]
                    if mode == "reindex":
                        if tuple(derived) != current.get(row_pk):
                            changes.append((*derived, row_pk))
                        continue
                    if mode == "decrypt":
                        new = clear
                    elif mode == "encrypt":
                        new = [v if (v and fieldcrypto.stored_key_id(v) in fieldcrypto.key_ring().keys)
                               else fieldcrypto.encrypt_value(c, f.aad) for v, c, f in zip(stored, clear, enc, strict=True)]
                    else:
                        new = [fieldcrypto.encrypt_value(c, f.aad) for c, f in zip(clear, enc, strict=True)]
                    if new != stored:
                        changes.append((*new, *([] if mode == "rotate" else derived), row_pk))
                if changes:
                    cursor.executemany(update, changes)
                written += len(changes)
        if progress:
            progress(written, last)
    return written


def encrypt_rows_operation(app_label: str, model_name: str, *, batch: int = 5000):
    """The migration step that encrypts a model's existing rows (and decrypts them on the way back)."""
    from django.db import migrations

    def forward(apps, schema_editor):
        process_table(schema_editor.connection, apps.get_model(app_label, model_name), mode="encrypt", batch=batch)

    def backward(apps, schema_editor):
        process_table(schema_editor.connection, apps.get_model(app_label, model_name), mode="decrypt", batch=batch)

    return migrations.RunPython(forward, backward)
