"""The engine on a small workflow of its own (a "Memo" that a unit sends and HQ's head signs), so
these tests say what `move`, `allowed`, the generic view and the waiting list do whatever the parts
declare. The model lives only for the test: registered, its table made, and both removed after."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, models
from django.db.models import Q
from django_fsm import ConcurrentTransition

from ravabet.audit.models import ActionLog
from ravabet.offices.access import Access
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES, Role
from ravabet.outbox.models import Notification, OutboxMessage
from ravabet.workflow.declare import Guard, Need, Notice, StateField, WorkflowModel, field_user, hq_role, step
from ravabet.workflow.engine import RoleRefused, TransitionRefused, allowed, move, steps_of
from ravabet.workflow.waiting import waiting_for

pytestmark = pytest.mark.django_db(transaction=True)

STATES = [("draft", "پیش‌نویس"), ("sent", "ارسال‌شده"), ("signed", "امضاشده"), ("void", "باطل")]


def _declare():
    class Memo(WorkflowModel):
        unit = models.ForeignKey("offices.Unit", on_delete=models.CASCADE, related_name="+")
        author = models.ForeignKey("offices.User", on_delete=models.CASCADE, related_name="+")
        title = models.CharField(max_length=100)
        answer = models.TextField(blank=True)
        urgent = models.BooleanField(default=False)
        state = StateField(choices=STATES, default="draft")
        updated_at = models.DateTimeField(auto_now=True)

        class Meta:
            app_label = "workflow"
            verbose_name = "نامه"
            verbose_name_plural = "نامه‌ها"

        def __str__(self):
            return self.title

        def get_absolute_url(self):
            return "/"

        @step(source="draft", target="sent", roles=UNIT_ROLES, label="ارسال", log="memo.sent",
              notify=[Notice(hq_role(Role.HQ_HEAD), "نامه «{obj.title}» منتظر امضای شماست", urgent=True)])
        def send(self, by):
            pass

        @step(source="sent", target="signed", roles={Role.HQ_HEAD}, label="امضا", log="memo.signed",
              summary="امضا: {answer}", needs=[Need("answer", "پاسخ", "پاسخ را بنویسید.")],
              guards=[Guard("not_urgent", "نامه فوری را باید تلفنی هماهنگ کرد.", lambda m: not m.urgent,
                            q=Q(urgent=False))],
              notify=[Notice(field_user("author"), "نامه «{obj.title}» امضا شد")])
        def sign(self, by, note=""):
            self.title = f"{self.title} ({note})" if note else self.title

        @step(source=["draft", "sent"], target="void", roles=HQ_ROLES | UNIT_ROLES, label="ابطال", log="memo.void",
              aside=True)
        def void(self, by):
            pass

    return Memo


@pytest.fixture
def memo_model():
    model = _declare()
    with connection.schema_editor() as editor:
        editor.create_model(model)
    yield model
    with connection.schema_editor() as editor:
        editor.delete_model(model)
    del apps.all_models["workflow"]["memo"]
    apps.clear_cache()
    steps_of.cache_clear()


@pytest.fixture
def memo(memo_model, world):
    return memo_model.objects.create(unit=world.county_a, author=world.officer, title="درخواست خودرو")


def test_steps_keep_declaration_order_and_allowed_follows_roles(memo, world):
    assert list(steps_of(type(memo))) == ["send", "sign", "void"]
    assert [s.name for s in allowed(memo, Access(world.officer))] == ["send", "void"]
    assert [s.name for s in allowed(memo, Access(world.hq_head))] == ["void"]
    assert allowed(memo, Access(world.staff)) == []
    assert allowed(memo, Access(world.outsider)) == []


def test_move_saves_logs_and_tells_the_next_actor_by_sms_when_urgent(memo, world):
    moved = move(memo, "send", by=world.officer)
    assert moved.state == memo.state == "sent"
    entry = ActionLog.objects.get(action="memo.sent")
    assert entry.actor == world.officer and entry.data["from"] == "draft" and entry.data["to"] == "sent"
    notice = Notification.objects.get()
    assert notice.user == world.hq_head and "درخواست خودرو" in notice.title
    sms = OutboxMessage.objects.get()
    assert sms.recipient == world.hq_head.mobile and "درخواست خودرو" in sms.body


def test_no_sms_for_a_user_who_turned_it_off(memo, world, client_for):
    client_for("hq_head").post("/notices/sms/", {})
    world.hq_head.refresh_from_db()
    assert world.hq_head.sms_notices is False
    move(memo, "send", by=world.officer)
    assert Notification.objects.filter(user=world.hq_head).count() == 1
    assert OutboxMessage.objects.count() == 0


def test_changed_fields_are_logged_before_and_after(memo, world):
    move(memo, "send", by=world.officer)
    move(memo, "sign", by=world.hq_head, answer="موافقت شد", note="فوری")
    entry = ActionLog.objects.get(action="memo.signed")
    assert entry.summary == "امضا: موافقت شد"
    assert entry.data["changes"]["answer"] == ["", "موافقت شد"]
    assert entry.data["changes"]["title"] == ["درخواست خودرو", "درخواست خودرو (فوری)"]
    assert Notification.objects.filter(user=world.officer, title__contains="امضا شد").exists()


def test_a_refused_role_changes_nothing(memo, world):
    with pytest.raises(RoleRefused, match="از نقش شما"):
        move(memo, "send", by=world.staff)
    with pytest.raises(RoleRefused):
        move(memo, "send", by=world.outsider)
    memo.refresh_from_db()
    assert memo.state == "draft" and not ActionLog.objects.exists() and not Notification.objects.exists()


def test_hq_expert_may_not_sign(memo, world):
    move(memo, "send", by=world.officer)
    with pytest.raises(RoleRefused):
        move(memo, "sign", by=world.hq_expert, answer="باشد")


def test_a_step_from_the_wrong_state_says_who_was_first(memo, world):
    move(memo, "send", by=world.officer)
    with pytest.raises(TransitionRefused, match="هم‌اکنون «ارسال‌شده»"):
        move(memo, "send", by=world.manager)
    assert ActionLog.objects.filter(action="memo.sent").count() == 1


def test_a_missing_need_is_a_field_error_and_a_guard_a_refusal(memo_model, memo, world):
    move(memo, "send", by=world.officer)
    with pytest.raises(ValidationError) as error:
        move(memo, "sign", by=world.hq_head, answer=" \u200c\u200f ")  # only invisible characters (issue 12 §8)
    assert error.value.message_dict == {"answer": ["پاسخ را بنویسید."]}
    memo_model.objects.filter(pk=memo.pk).update(urgent=True)
    with pytest.raises(TransitionRefused, match="تلفنی"):
        move(memo, "sign", by=world.hq_head, answer="موافقت")
    memo.refresh_from_db()
    assert memo.state == "sent" and memo.answer == ""


def test_a_stale_copy_cannot_overwrite_a_moved_record(memo_model, memo, world):
    stale = memo_model.objects.get(pk=memo.pk)
    move(memo, "send", by=world.officer)
    stale.title = "تغییر با نسخه کهنه"
    with pytest.raises(ConcurrentTransition):
        stale.save()


def test_a_record_loaded_with_its_states_deferred_loads_and_saves(world):
    """A complaint has two state fields (state, HQ follow-up); deferring both used to recurse without end."""
    from ravabet.complaints.models import Case
    from ravabet.complaints.tests.factories import make_case

    case = make_case(world.county_a)
    light = Case.objects.only("pk", "subject").get(pk=case.pk)
    assert light.get_deferred_fields() >= {"state", "followup"}
    light.subject = "موضوع تازه"
    light.save(update_fields=["subject"])
    case.refresh_from_db()
    assert case.subject == "موضوع تازه" and case.state == light.state
    stale = Case.objects.only("pk", "subject").get(pk=case.pk)
    move(case, "close_unanswered", by=world.officer, close_reason="درخواست تکراری بود")
    stale.subject = "با نسخه کهنه"
    stale.save(update_fields=["subject"])  # a deferred state is read at save: the filter holds the row as it is
    case.refresh_from_db()
    assert case.subject == "با نسخه کهنه" and case.state != "received"


def test_waiting_lists_only_expected_steps_the_person_may_make(memo_model, memo, world):
    assert waiting_for(Access(world.hq_head)) == []  # a draft waits for the unit; "void" is aside
    assert [g.title for g in waiting_for(Access(world.officer))] == ["نامه‌ها"]
    move(memo, "send", by=world.officer)
    urgent = memo_model.objects.create(unit=world.county_b, author=world.outsider, title="فوری", urgent=True)
    move(urgent, "send", by=world.outsider)
    groups = waiting_for(Access(world.hq_head))
    assert [(g.title, g.count, g.records) for g in groups] == [("نامه‌ها", 1, [memo])]
    assert waiting_for(Access(world.officer)) == []


def test_generic_view_runs_refuses_and_keeps_typed_text(memo, world, client_for):
    url = f"/workflow/workflow.memo/{memo.pk}/sign/"
    assert client_for("outsider").get(f"/workflow/workflow.memo/{memo.pk}/send/").status_code == 404
    # Plain staff have no part in this workflow: the record is not theirs to learn of.
    assert client_for("staff").post(f"/workflow/workflow.memo/{memo.pk}/send/").status_code == 404
    refused = client_for("hq_expert").post(f"/workflow/workflow.memo/{memo.pk}/send/")
    assert refused.status_code == 403 and "از نقش شما" in refused.content.decode()
    assert "درخواست خودرو" not in refused.content.decode()
    page = client_for("officer").get(f"/workflow/workflow.memo/{memo.pk}/send/")
    assert page.status_code == 200 and "ارسال" in page.content.decode()
    assert client_for("officer").post(f"/workflow/workflow.memo/{memo.pk}/send/", {"next": "/notices/"}).url == "/notices/"
    early = client_for("hq_head").post(url, {"answer": ""})
    assert early.status_code == 400 and "پاسخ را بنویسید." in early.content.decode()
    type(memo).objects.filter(pk=memo.pk).update(urgent=True)
    guarded = client_for("hq_head").post(url, {"answer": "متن تایپ‌شده"})
    assert guarded.status_code == 403 and "تلفنی" in guarded.content.decode()
    assert "متن تایپ‌شده" in guarded.content.decode()
    type(memo).objects.filter(pk=memo.pk).update(urgent=False)
    done = client_for("hq_head").post(url, {"answer": "موافقت شد"})
    assert done.status_code == 302
    memo.refresh_from_db()
    assert memo.state == "signed" and memo.answer == "موافقت شد"
    again = client_for("hq_head").post(url, {"answer": "دوباره"})
    assert again.status_code == 403 and "هم‌اکنون" in again.content.decode()
    assert client_for("hq_head").get("/workflow/workflow.memo/999999/sign/").status_code == 404
    assert client_for("hq_head").get(f"/workflow/workflow.memo/{memo.pk}/nope/").status_code == 404


def test_workflows_command_prints_roles_guards_and_notices(memo, capsys):
    call_command("workflows")
    out = capsys.readouterr().out
    assert "workflow.Memo — نامه" in out
    assert "sign: sent -> signed  «امضا»" in out
    assert "roles: رئیس روابط عمومی اداره کل (hq_head)" in out
    assert "guard not_urgent: نامه فوری را باید تلفنی هماهنگ کرد." in out
    assert "notifies hq_head (اداره کل) by SMS too" in out


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency")
def test_concurrent_steps_on_one_row_let_exactly_one_through(memo, world):
    """Three HQ heads sign, and the unit voids, the same sent memo at once: the row lock lets one in;
    the others re-read the new state and are refused in Persian; one log entry, one notice."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from ravabet.testing import make_user

    heads = [world.hq_head, *(make_user(f"head{n}", f"رئیس {n}", world.hq, Role.HQ_HEAD) for n in (2, 3))]
    move(memo, "send", by=world.officer)
    Notification.objects.all().delete()
    barrier = threading.Barrier(4)

    def attempt(args) -> str:
        name, user = args
        try:
            barrier.wait()
            move(type(memo).objects.get(pk=memo.pk), name, by=user, answer="موافقت")
            return name
        except TransitionRefused as refusal:
            assert "هم‌اکنون" in str(refusal) or "در وضعیت" in str(refusal)
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(attempt, [("sign", h) for h in heads] + [("void", world.manager)]))
    winners = [r for r in results if r != "refused"]
    assert len(winners) == 1
    memo.refresh_from_db()
    assert memo.state == {"sign": "signed", "void": "void"}[winners[0]]
    assert ActionLog.objects.filter(action__in=["memo.signed", "memo.void"]).count() == 1
    assert Notification.objects.count() == (1 if winners[0] == "sign" else 0)


def test_waiting_for_counts_every_waiting_record_and_reads_them_in_one_union_and_a_query_a_group(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ravabet.news.models import News, NewsState
    from ravabet.news.tests.helpers import make_news
    from ravabet.offices.access import Access
    from ravabet.workflow.waiting import waiting_for

    first = make_news(world, photos=0)
    for _ in range(6):
        make_news(world, photos=0)
    News.objects.filter(pk__gte=first.pk).update(state=NewsState.SUBMITTED)
    access = Access(world.hq_expert)
    waiting_for(access)  # the person's memberships and units are read once per request, before the part
    with CaptureQueriesContext(connection) as read:
        groups = {group.title: group for group in waiting_for(access, limit=5)}
    news = groups[str(News._meta.verbose_name_plural)]
    assert news.count == 7 and len(news.records) == 5
    assert [record.pk for record in news.records] == list(range(first.pk, first.pk + 5))  # the oldest first
    # Issue 11 §6: one UNION over every workflow model gives the ids and totals (window functions, no COUNT
    # query), then one query per group that has something waiting reads its rows — not one per model.
    assert not any(q["sql"].upper().startswith("SELECT COUNT(") for q in read.captured_queries)
    assert len(read.captured_queries) == 1 + len(groups) and "UNION ALL" in read.captured_queries[0]["sql"]
