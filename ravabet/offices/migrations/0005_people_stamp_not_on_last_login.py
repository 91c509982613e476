"""A sign-in writes only `offices_user.last_login`; it no longer writes a fresh «offices.people» token (issue 11).

Migration 0004 moved the token on every UPDATE of a user, so every sign-in made every worker read its people
again and took the one stamp row's lock until the sign-in's commit, queueing sign-ins behind each other. The
user's UPDATE trigger now fires only when the statement sets a column that offices.kept keeps: every column
but `last_login`, which kept users leave deferred (read from the database when asked for). INSERT, DELETE and
TRUNCATE still move the token, as do memberships and units (unchanged).

A later migration that changes offices_user, offices_membership or offices_unit must keep these triggers: on
SQLite, AddField and AlterField rebuild the table and drop its triggers; on PostgreSQL a watched column's type
cannot change while the trigger names it. Such a migration drops and re-creates the triggers around its change;
`offices/tests/test_kept.py` fails while one is missing."""

from importlib import import_module

from django.db import migrations

SQLITE_BODY = import_module("ravabet.offices.migrations.0004_people_stamp_triggers").SQLITE_BODY
KEPT_USER_COLUMNS = ("id", "password", "is_superuser", "username", "first_name", "last_name", "email",
                     "is_staff", "is_active", "date_joined", "full_name", "mobile", "sms_notices")


def _columns() -> str:
    return ", ".join(KEPT_USER_COLUMNS)


def only_kept_columns(apps, schema_editor):
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        run("DROP TRIGGER IF EXISTS offices_user_people_stamp ON offices_user")
        run("DROP TRIGGER IF EXISTS offices_user_people_stamp_update ON offices_user")
        run("CREATE TRIGGER offices_user_people_stamp AFTER INSERT OR DELETE OR TRUNCATE ON offices_user "
            "FOR EACH STATEMENT EXECUTE FUNCTION ravabet_bump_people_stamp()")
        run(f"CREATE TRIGGER offices_user_people_stamp_update AFTER UPDATE OF {_columns()} ON offices_user "
            "FOR EACH STATEMENT EXECUTE FUNCTION ravabet_bump_people_stamp()")
    else:
        run("DROP TRIGGER IF EXISTS offices_user_people_stamp_update")
        run(f"CREATE TRIGGER offices_user_people_stamp_update AFTER UPDATE OF {_columns()} ON offices_user "
            f"BEGIN {SQLITE_BODY} END")


def every_update(apps, schema_editor):
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        run("DROP TRIGGER IF EXISTS offices_user_people_stamp_update ON offices_user")
        run("DROP TRIGGER IF EXISTS offices_user_people_stamp ON offices_user")
        run("DROP TRIGGER IF EXISTS offices_user_people_stamp_update ON offices_user")
        run("CREATE TRIGGER offices_user_people_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON offices_user "
            "FOR EACH STATEMENT EXECUTE FUNCTION ravabet_bump_people_stamp()")
    else:
        run("DROP TRIGGER IF EXISTS offices_user_people_stamp_update")
        run(f"CREATE TRIGGER offices_user_people_stamp_update AFTER UPDATE ON offices_user BEGIN {SQLITE_BODY} END")


class Migration(migrations.Migration):
    dependencies = [("offices", "0004_people_stamp_triggers")]

    operations = [migrations.RunPython(only_kept_columns, every_update)]
