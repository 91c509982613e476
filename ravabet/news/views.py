from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_POST

from ravabet.lib import idempotency, jalali
from ravabet.lib.actions import errors_to_form, run_service
from ravabet.lib.digits import parse_int, to_persian_digits
from ravabet.lib.excel import xlsx_response
from ravabet.offices.access import get_scoped_or_404, scoped
from ravabet.offices.models import UnitKind
from ravabet.offices.roles import HQ_ROLES, WORK_ROLES

from . import pagecache, selectors, services
from .forms import NewNewsForm, NewsForm, NewsSettingsForm, form_initial
from .models import News, NewsKind, NewsSettings, NewsState

S = NewsState
HQ_ONLY = "این بخش از آنِ روابط عمومی اداره کل است."


def _news(request, pk: int) -> News:
    return get_scoped_or_404(request.access, News.objects.select_related("unit", "author", "cover"), WORK_ROLES, pk=pk)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The news of the units where the person works, newest first; `?unit=` narrows to one of them."""
    access = request.access
    access.require_any(WORK_ROLES)
    queryset = access.narrow(scoped(access, News.objects.all(), WORK_ROLES), request.GET.get("unit"))
    queryset = selectors.filter_news(selectors.with_list_relations(queryset), request.GET)
    page = selectors.KeysFirstPaginator(queryset.order_by("-news_date", "-pk"), 25).get_page(request.GET.get("page"))
    return render(request, "news/mine.html", {"page_obj": page, "states": S.choices, "kinds": NewsKind.choices,
                                              "units": access.filter_units(WORK_ROLES)})


def _photo_messages(request, report: services.PhotoReport) -> None:
    for error in report.errors:
        messages.error(request, error)
    if report.warned:
        messages.warning(request, f"{to_persian_digits(report.warned)} عکس هشدار قواعد عکس دارد؛ گزارش هر عکس را ببینید.")


def _photo_fields(form: NewsForm) -> dict:
    return {"uploads": form.cleaned_data.get("photos") or [],
            "library_photos": list(form.cleaned_data.get("library_photos") or [])}


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """A new draft of the unit the person works in now (HQ's own news when that is HQ), with its
    photos, saved in one transaction."""
    unit = request.access.work_unit(WORK_ROLES)
    form = NewNewsForm(request.POST or None, request.FILES or None, initial={"news_date": jalali.today()}, unit=unit)
    if request.method == "POST":
        report = services.PhotoReport()
        try:
            # The same form sent twice (issue 13 point 7): one draft, the second led to it.
            news = idempotency.first_made(request, "news.news")
            created = False
            if news is None and form.is_valid():
                news, created = idempotency.create_once(request, "news.news", lambda: services.news_create(
                    unit=unit, by=request.user, report=report, **form.text_fields(), **_photo_fields(form)))
        except ValidationError as error:
            form.is_valid()
            errors_to_form(form, error)
        else:
            if news is not None:
                if created:
                    _photo_messages(request, report)
                    messages.success(request, "پیش‌نویس خبر ذخیره شد. پس از بررسی گزارش عکس‌ها آن را ارسال کنید.")
                else:
                    messages.info(request, "این فرم پیش‌تر ذخیره شده بود؛ خبر دوباره ساخته نشد.")
                return redirect("news:detail", news.pk)
        if request.FILES:
            form.add_error("photos", "عکس‌ها ذخیره نشدند؛ پس از رفع خطاها دوباره انتخاب کنید.")
    return render(request, "news/form.html", {"form": form, "unit": unit})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the text and add photos: the unit while the item is its own, HQ once it was sent."""
    news = _news(request, pk)
    if not services.can_edit(request.access, news):
        raise PermissionDenied("این خبر در این وضعیت برای شما ویرایش‌پذیر نیست.")
    form = NewsForm(request.POST or None, request.FILES or None, initial=form_initial(news), unit=news.unit, news=news)
    if request.method == "POST":
        if form.is_valid():
            report = services.PhotoReport()
            try:
                services.news_update(news=news, by=request.user, report=report, **form.text_fields(),
                                     **_photo_fields(form))
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                _photo_messages(request, report)
                messages.success(request, "تغییرات ذخیره شد.")
                return redirect("news:detail", news.pk)
        if request.FILES:
            form.add_error("photos", "عکس‌ها ذخیره نشدند؛ پس از رفع خطاها دوباره انتخاب کنید.")
    photos = [link.photo for link in news.news_photos.select_related("photo")]
    return render(request, "news/form.html", {"form": form, "news": news, "unit": news.unit, "photos": photos})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The item with its photos, thread, timeline and the workflow buttons the person may use now."""
    news = _news(request, pk)
    context = {
        "news": news,
        "photos": [link.photo for link in news.news_photos.select_related("photo")],
        "comments": news.comments.select_related("author"),
        "diff": selectors.diff_since_submission(news) if news.hq_edited else [],
        "can_edit": services.can_edit(request.access, news),
    }
    return render(request, "news/detail.html", context)


def _post_action(call, success: str):
    """A POST view on one item that runs `call(request, news)` and goes back to the item's page."""
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        news = _news(request, pk)
        run_service(request, lambda: call(request, news), success)
        back = request.POST.get("next", "")
        if not back.startswith("/") or not url_has_allowed_host_and_scheme(back, {request.get_host()}):
            back = news.get_absolute_url()
        return redirect(back)

    return view


def _int(value) -> int:
    return max(parse_int(value) or 0, 0)  # «²», a sign or 30 digits: 0, never a 500


comment = _post_action(lambda r, n: services.news_comment(news=n, by=r.user, body=r.POST.get("body", "")),
                       "پیام ثبت شد.")
set_cover = _post_action(lambda r, n: services.news_set_cover(news=n, by=r.user, photo_id=_int(r.POST.get("photo"))),
                         "عکس اصلی تعیین شد.")
remove_photo = _post_action(
    lambda r, n: services.news_remove_photo(news=n, by=r.user, photo_id=_int(r.POST.get("photo"))), "عکس حذف شد.")


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """HQ's editorial queue: everything units sent, filtered, with bulk approve/publish."""
    access = request.access
    access.require_any(HQ_ROLES, HQ_ONLY)
    queryset = access.narrow(scoped(access, News.objects.exclude(state=S.DRAFT), HQ_ROLES), request.GET.get("unit"),
                             HQ_ROLES)
    params = request.GET.copy()
    if "state" not in params:
        params["state"] = S.SUBMITTED
    queryset = selectors.filter_news(selectors.with_list_relations(queryset), params)
    queryset = queryset.order_by("-submitted_at", "-pk")
    if request.GET.get("export") == "xlsx":
        return xlsx_response("صف-اخبار", "صف اخبار", ["تاریخ", "واحد", "نوع", "تیتر", "وضعیت", "عکس"],
                             ([jalali.format_date(n.news_date), n.unit.name, n.get_kind_display(), n.title,
                               n.get_state_display(), n.photo_count] for n in queryset[:5000]))
    page = selectors.KeysFirstPaginator(queryset, 30).get_page(request.GET.get("page"))
    context = {"page_obj": page, "units": access.filter_units(HQ_ROLES), "states": [c for c in S.choices if c[0] != S.DRAFT],
               "kinds": NewsKind.choices, "current_state": params.get("state", "")}
    template = "news/desk.html#queue" if request.htmx else "news/desk.html"
    return render(request, template, context)


@login_required
@require_POST
def desk_bulk(request: HttpRequest) -> HttpResponse:
    """Approve or publish the ticked items; each is its own step, refusals are listed in Persian."""
    request.access.require_any(HQ_ROLES, HQ_ONLY)
    action = request.POST.get("action", "")
    ids = [number for number in map(parse_int, request.POST.getlist("ids")) if number]
    if action not in services.BULK_STEPS or not ids:
        messages.error(request, "خبری انتخاب نشده یا کار گروهی نامعتبر است.")
    else:
        done, failures = services.news_bulk(ids=ids, action=action, by=request.user)
        if done:
            messages.success(request, f"{to_persian_digits(done)} خبر {'تأیید' if action == 'approve' else 'منتشر'} شد.")
        for failure in failures:
            messages.error(request, failure)
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/news/desk/") else "news:desk")


@login_required
def daily(request: HttpRequest) -> HttpResponse:
    request.access.require_any(HQ_ROLES, HQ_ONLY)
    return render(request, "news/daily.html", {"status": selectors.today_status(),
                                                "settings": NewsSettings.current()})


@login_required
def daily_month(request: HttpRequest) -> HttpResponse:
    request.access.require_any(HQ_ROLES, HQ_ONLY)
    year, month = jalali.current_month()
    try:
        year = int(request.GET.get("year", year))
        month = int(request.GET.get("month", month))
        grid = selectors.month_grid(year, month)
    except (ValueError, TypeError):
        year, month = jalali.current_month()
        grid = selectors.month_grid(year, month)
    if request.GET.get("export") == "xlsx":
        headers = ["واحد", *[jalali.format_date(day, persian=False)[5:] for day, _, _ in grid["days"]],
                   "روزهای دارای خبر", "روزهای کاری"]
        rows = ([row.unit.name, *["تعطیل" if not c.working else ("✓" if c.sent else "") for c in row.cells],
                 row.sent_days, row.working_days] for row in grid["rows"])
        return xlsx_response(f"ارسال-خبر-{year}-{month:02d}", f"{jalali.month_name(month)} {year}", headers, rows)
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return render(request, "news/daily_month.html", {"grid": grid, "year": year, "month": month,
                                                     "previous": previous, "following": following})


@login_required
def news_settings(request: HttpRequest) -> HttpResponse:
    request.access.require_any(HQ_ROLES, HQ_ONLY)
    current = NewsSettings.current()
    form = NewsSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.settings_update(by=request.user, **{n: form.cleaned_data[n] for n in form.Meta.fields})
        messages.success(request, "تنظیمات ذخیره شد.")
        return redirect("news:daily")
    return render(request, "news/settings.html", {"form": form, "settings": current})


# The public newsroom: cacheable, and answering 304 when nothing was published since.

def _public_last_modified(request, *args, **kwargs):
    """The newest `updated_at` of any item (a datetime, None without news): the newsroom middleware's stamp when
    it read one for this request, else one indexed MAX."""
    # Any change to any item (an unindexed filter would cost a scan per request); drafts rarely
    # change often enough for this to matter, and a 304 is only an optimisation.
    if hasattr(request, "newsroom_stamp"):
        return request.newsroom_stamp
    return pagecache.newest_change()


public_last_modified = _public_last_modified  # the feeds' server cache keys on it too


def _detail_last_modified(request, pk: int):
    return News.objects.filter(pk=pk, state=S.PUBLISHED).values_list("updated_at", flat=True).first()


def public_cache(*, max_age: int, last_modified):
    """Shared caching and 304s for anonymous visitors only: a signed-in person's page carries their
    name and token, so it must never be served from a cache to them or anyone else."""
    def decorator(view):
        stored = pagecache.server_cached(view, last_modified, timeout=max_age)  # the body kept on the server
        cached = cache_control(public=True, max_age=max_age)(
            condition(last_modified_func=pagecache.remember_stamp(last_modified))(stored))
        private = cache_control(private=True, no_cache=True)(view)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            return (private if request.user.is_authenticated else cached)(request, *args, **kwargs)

        return wrapper

    return decorator


@public_cache(max_age=120, last_modified=_public_last_modified)
def public_list(request: HttpRequest) -> HttpResponse:
    # A search is paged without a count (a frequent word matches most of a million items; issue 18 §5).
    if request.GET.get("q"):
        paginator = selectors.PublicSearchPaginator(request.GET, 12, cards=True)
    else:
        paginator = Paginator(selectors.public_news(request.GET, cards=True), 12)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = selectors.news_cards(page.object_list)
    units = selectors.public_units()
    unit = next((u for u in units if u.code == request.GET.get("unit")), None)
    return render(request, "news/public_list.html", {"page_obj": page, "unit": unit,
                                                     "unit_options": selectors.unit_options(units, unit)})


@public_cache(max_age=300, last_modified=_detail_last_modified)
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    news = get_object_or_404(News.objects.select_related("unit", "cover"), pk=pk, state=S.PUBLISHED)
    photos = [link.photo for link in news.news_photos.select_related("photo")]
    return render(request, "news/public_detail.html", {"news": news, "photos": photos,
                                                       "hq": news.unit.kind == UnitKind.HQ})
