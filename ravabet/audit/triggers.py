"""Database triggers that refuse UPDATE and DELETE on the action log and the refusal log.

The model refuses save() of an existing row and delete(); these triggers also stop QuerySet.update(),
.delete() and raw SQL, on PostgreSQL and SQLite. Both raise an integrity error (Django's IntegrityError).
TRUNCATE is left to the database owner (PostgreSQL's row triggers do not fire on it; `flush` uses it).
Source: issue 13, point 5 (OWASP ASVS level 2, V7.3 log protection)."""

TABLES = ("audit_actionlog", "audit_refusal")
MESSAGE = "is append-only"


def _sqlite_install(table: str) -> list[str]:
    return [f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} {MESSAGE}'); END" for op in ("UPDATE", "DELETE")]


def _sqlite_remove(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_{op}" for op in ("update", "delete")]


POSTGRES_FUNCTION = f"""CREATE OR REPLACE FUNCTION ravabet_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% {MESSAGE} (% refused)', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END $$"""


def _postgres_install(table: str) -> list[str]:
    return [POSTGRES_FUNCTION, f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION ravabet_append_only()"]


def _postgres_remove(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"]


def _statements(connection, *, install: bool, tables=TABLES) -> list[str]:
    if connection.vendor == "postgresql":
        build = _postgres_install if install else _postgres_remove
    elif connection.vendor == "sqlite":
        build = _sqlite_install if install else _sqlite_remove
    else:
        return []
    return [sql for table in tables for sql in build(table)]


def install(connection, tables=TABLES) -> None:
    """Create the triggers on `tables` through `connection` (a Django connection); other vendors: nothing."""
    with connection.cursor() as cursor:
        for sql in _statements(connection, install=True, tables=tables):
            cursor.execute(sql)


def remove(connection, tables=TABLES) -> None:
    """Drop the triggers (the migration's reverse, and `flush` on SQLite, which empties tables with DELETE)."""
    with connection.cursor() as cursor:
        for sql in _statements(connection, install=False, tables=tables):
            cursor.execute(sql)
