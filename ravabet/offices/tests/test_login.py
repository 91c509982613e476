import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_repeated_wrong_passwords_lock_the_login_with_a_persian_message(world, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post("/accounts/login/", {"username": "officer", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "officer", "password": "test-pass-1405"})
    assert response.status_code == 429
    assert "ورود موقتاً بسته شد" in response.content.decode()


def test_password_reset_email_goes_to_the_outbox(world, client, settings):
    settings.MAILERS = {**settings.MAILERS, "default": {"BACKEND": "ravabet.outbox.email_backend.OutboxEmailBackend"}}
    client.post("/accounts/password_reset/", {"email": "officer@example.ir"})
    from ravabet.outbox.models import OutboxMessage

    message = OutboxMessage.objects.get(channel="email")
    assert message.recipient == "officer@example.ir"
    assert "گذرواژه" in message.body


def test_seed_demo_runs_twice_without_duplicating(db):
    from ravabet.offices.models import Membership, Person, Unit

    call_command("seed_demo", verbosity=0)
    counts = (Unit.objects.count(), Person.objects.count(), Membership.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Unit.objects.count(), Person.objects.count(), Membership.objects.count()) == counts
    assert Unit.objects.filter(kind="county").count() == 6
