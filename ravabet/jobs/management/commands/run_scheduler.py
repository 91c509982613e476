import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from ravabet.jobs.registry import JOBS
from ravabet.jobs.scheduler import enqueue_due_jobs


class Command(BaseCommand):
    help = "Enqueue periodic jobs (reminders, escalations, outbox retries) on their schedule."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=20, help="seconds between checks")
        parser.add_argument("--once", action="store_true", help="check once and exit")

    def handle(self, *args, interval, once, **options):
        self.stdout.write(f"scheduler: {len(JOBS)} jobs: {', '.join(sorted(JOBS))}")
        while True:
            close_old_connections()
            for name in enqueue_due_jobs():
                self.stdout.write(f"scheduler: enqueued {name}")
            if once:
                return
            time.sleep(interval)
