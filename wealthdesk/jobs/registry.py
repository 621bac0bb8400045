"""Kinds of background job. An app registers each piece of work it can run in the background in its
``AppConfig.ready``; this app never imports the apps that own the work (lower apps never import higher ones).

``run(job, progress) -> dict`` does the work for one ``BackgroundJob`` (its ``params`` and ``payload``) and
returns the result to keep. It must be **idempotent**: a retry after a crash, or a second delivery of the same
message, must not do the work twice (the services it calls are: a load is keyed by the file's hash, a scan by its
day). ``progress(step, done=0, total=0)`` records where it is, for the user's progress bar.
``result_url(job) -> str`` is where the user goes when the job is done (the batch, the download…).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class JobKind:
    key: str
    label: str
    run: Callable
    result_url: Callable | None = None
    max_retries: int = 3


_KINDS: dict[str, JobKind] = {}


def register_job(key: str, label, run: Callable, *, result_url: Callable | None = None, max_retries: int = 3) -> None:
    _KINDS[key] = JobKind(key, label, run, result_url, max_retries)


def job_kind(key: str) -> JobKind:
    return _KINDS[key]


def job_kinds() -> dict[str, JobKind]:
    return dict(_KINDS)
