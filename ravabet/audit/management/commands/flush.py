"""Django's `flush`, able to empty the append-only action log on SQLite.

SQLite empties tables with DELETE, which the action log's trigger refuses; this drops the triggers,
flushes, and puts them back. PostgreSQL flushes with TRUNCATE, which the row triggers let through.
Test cases that flush the database between tests (live server, transactions) rely on it."""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections

from ravabet.audit import triggers


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        triggers.remove(connection)
        try:
            return super().handle(**options)
        finally:
            triggers.install(connection)
