from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ravabet.lib.actions import save_form
from ravabet.lib.paging import count_related
from ravabet.lib.uploads import private_file_response
from ravabet.news.models import NewsPhoto
from ravabet.offices.access import get_scoped_or_404, scoped
from ravabet.offices.roles import HQ_ROLES, WORK_ROLES

from . import services
from .forms import PhotoRulesForm
from .models import Photo, PhotoRules


@login_required
def library(request: HttpRequest) -> HttpResponse:
    """The unit's photos with each one's rule report; HQ sees every unit and can filter."""
    access = request.access
    access.require_any(WORK_ROLES, "کتابخانه عکس از آنِ روابط عمومی واحدها و اداره کل است.")
    photos = scoped(access, Photo.objects.select_related("unit"), WORK_ROLES)
    photos = access.narrow(photos, request.GET.get("unit"))
    if request.GET.get("only") == "problems":
        photos = photos.filter(Q(duplicate_of__isnull=False) | Q(face_count=1) | Q(width__lte=F("height"))
                               | Q(width__lt=PhotoRules.current().min_long_side))
    page = Paginator(photos.order_by("-created_at", "-pk"), 48).get_page(request.GET.get("page"))
    # How many news items show each photo, for the page's photos only (issue 11 §4: 1.4 s over a province's
    # 243,000 photos when annotated before the page limit).
    page.object_list = count_related(list(page.object_list), NewsPhoto, "photo", use_count=None)
    return render(request, "photos/library.html", {"page_obj": page, "units": access.filter_units(WORK_ROLES)})


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    """HQ's photo rules (F3): which checks block, warn or are off, and their thresholds."""
    request.access.require_any(HQ_ROLES, "قواعد عکس را روابط عمومی اداره کل تعیین می‌کند.")
    current = PhotoRules.current()
    form = PhotoRulesForm(request.POST or None, instance=current)
    if save_form(request, form, lambda data: services.rules_update(
            by=request.user, **{name: data[name] for name in form.Meta.fields}), "قواعد عکس ذخیره شد."):
        return redirect("photos:rules")
    return render(request, "photos/rules.html", {"form": form, "rules": current})


@login_required
def original(request: HttpRequest, pk: int) -> HttpResponse:
    """The untouched upload, for the unit and HQ only (it may carry GPS and other EXIF)."""
    photo = get_scoped_or_404(request.access, Photo, pk=pk)
    if not photo.original_path:
        raise Http404
    try:
        handle = storages["private"].open(photo.original_path, "rb")
    except FileNotFoundError:
        raise Http404 from None
    # Always downloaded, under the uploader's name with the checked extension (a PNG sent as «x.html» is x.png).
    return private_file_response(handle, download_name=photo.original_name or f"photo-{photo.pk}", attachment=True)


@login_required
@require_POST
def caption(request: HttpRequest, pk: int) -> HttpResponse:
    """Set a photo's caption from the news page or the library, then go back there."""
    photo = get_scoped_or_404(request.access, Photo, WORK_ROLES, pk=pk)
    try:
        services.photo_set_caption(photo=photo, by=request.user, caption=request.POST.get("caption", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        messages.error(request, "شما اجازه تغییر شرح این عکس را ندارید.")
    else:
        messages.success(request, "شرح عکس ثبت شد.")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) or not back.startswith("/"):
        back = "photos:library"
    return redirect(back)
