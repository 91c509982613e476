"""Periodic jobs: a task plus how often the scheduler enqueues it.

    periodic("news.remind_missing", every_minutes=15)(remind_missing_news)

Jobs run often and decide inside whether there is anything to do (for example
"after 13:00 on a working day"), so a scheduler that was down catches up at once.
"""

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: object
    every: timedelta


JOBS: dict[str, PeriodicJob] = {}


def periodic(name: str, *, every_minutes: int):
    def register(task):
        JOBS[name] = PeriodicJob(name=name, task=task, every=timedelta(minutes=every_minutes))
        return task

    return register
