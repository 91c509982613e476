"""Triggers that write a fresh «offices.people» token (lib.models.Stamp) on every INSERT, UPDATE or DELETE of a
user, a membership or a unit, in the same transaction (issue 11: offices.kept keeps who a signed-in person is
and their roles per process, keyed by that token; a trigger covers bulk updates, the admin and raw SQL alike).
PostgreSQL: one statement-level trigger per table (TRUNCATE included); SQLite: one row-level trigger per table
and operation."""

from django.db import migrations

TABLES = ("offices_user", "offices_membership", "offices_unit")
STAMP = "offices.people"

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION ravabet_bump_people_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO lib_stamp (name, token) VALUES ('{STAMP}', replace(gen_random_uuid()::text, '-', ''))
    ON CONFLICT (name) DO UPDATE SET token = EXCLUDED.token;
    RETURN NULL;
END $$;
"""
SQLITE_BODY = (f"INSERT INTO lib_stamp (name, token) VALUES ('{STAMP}', lower(hex(randomblob(16)))) "
               "ON CONFLICT (name) DO UPDATE SET token = excluded.token;")
SQLITE_OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def create(apps, schema_editor):
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        run(POSTGRES_FUNCTION)
        for table in TABLES:
            run(f"CREATE TRIGGER {table}_people_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION ravabet_bump_people_stamp()")
    elif schema_editor.connection.vendor == "sqlite":
        for table in TABLES:
            for operation in SQLITE_OPERATIONS:
                run(f"CREATE TRIGGER {table}_people_stamp_{operation.lower()} AFTER {operation} ON {table} "
                    f"BEGIN {SQLITE_BODY} END")
    else:
        raise NotImplementedError(f"no people-stamp triggers for {schema_editor.connection.vendor}")


def drop(apps, schema_editor):
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            run(f"DROP TRIGGER IF EXISTS {table}_people_stamp ON {table}")
        run("DROP FUNCTION IF EXISTS ravabet_bump_people_stamp()")
    else:
        for table in TABLES:
            for operation in SQLITE_OPERATIONS:
                run(f"DROP TRIGGER IF EXISTS {table}_people_stamp_{operation.lower()}")


class Migration(migrations.Migration):
    dependencies = [
        ("offices", "0003_unit_profile_from_reports"),
        ("lib", "0003_stamp"),
    ]

    operations = [migrations.RunPython(create, drop)]
