"""Pages of the unit's introduction and brochure (B9): versions, the edit form with photos and a PDF,
the generated brochure, and the public page of the latest version HQ approved. Submitting, approving
and returning are the declared steps of `UnitProfile` (buttons from `{% workflow_buttons %}`)."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ravabet.lib.actions import save_form
from ravabet.lib.pdf import pdf_response, render_pdf
from ravabet.lib.uploads import private_file_response
from ravabet.workflow.engine import allowed

from . import profile_services as services
from .access import get_scoped_or_404, scoped
from .models import ProfileState, Unit, UnitKind, UnitProfile
from .profile_forms import ProfileForm
from .roles import HQ_ROLES, UNIT_ROLES, WORK_ROLES


def _profiles_for(access):
    """Versions the person may open: everything of the units where they hold a work role, except the
    drafts of units where they hold no unit role (a unit's draft is its own until submitted)."""
    return scoped(access, UnitProfile.objects.all(), WORK_ROLES) \
        .filter(~Q(state=ProfileState.DRAFT) | Q(unit__in=access.unit_ids(UNIT_ROLES)))


def _get_profile(request, pk: int) -> UnitProfile:
    return get_scoped_or_404(request.access, _profiles_for(request.access).select_related("unit", "reviewed_by", "created_by"),
                             WORK_ROLES, pk=pk)


@login_required
def profile_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    access.require_any(WORK_ROLES, "معرفی‌نامه واحد برای روابط عمومی، رئیس اداره و اداره کل است.")
    profiles = _profiles_for(access).select_related("unit", "reviewed_by")
    state = request.GET.get("state", "")
    if state in ProfileState.values:
        profiles = profiles.filter(state=state)
    profiles = access.narrow(profiles, request.GET.get("unit"))
    page = Paginator(profiles.annotate(photo_count=Count("photos")).order_by("unit__name", "-version"), 50) \
        .get_page(request.GET.get("page"))
    coverage = []
    if access.is_hq:
        # Every county under the person's HQ units, with the version the public page shows.
        latest = UnitProfile.objects.filter(unit=OuterRef("pk"), state=ProfileState.ACKNOWLEDGED).order_by("-version")
        coverage = Unit.objects.filter(pk__in=access.unit_ids(HQ_ROLES), kind=UnitKind.COUNTY).annotate(
            acknowledged_version=Subquery(latest.values("version")[:1])).order_by("name")
    return render(request, "offices/profile_list.html", {
        "page_obj": page, "units": access.filter_units(WORK_ROLES), "coverage": coverage, "is_hq": access.is_hq,
        "can_write": access.work_unit_or_none(UNIT_ROLES, county=True) is not None, "states": ProfileState.choices})


@login_required
@require_POST
def profile_start(request: HttpRequest) -> HttpResponse:
    unit = request.access.work_unit(UNIT_ROLES, county=True)
    profile = services.profile_start(unit=unit, by=request.user)
    return redirect("offices:profile_edit", profile.pk)


@login_required
def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _get_profile(request, pk)
    access = request.access
    author = access.has_role(profile.unit, UNIT_ROLES)
    return render(request, "offices/profile_detail.html", {
        "profile": profile, "author": author, "photos": list(profile.photos.all()),
        "has_steps": bool(allowed(profile, access)), "can_edit": author and profile.is_editable})


@login_required
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _get_profile(request, pk)
    request.access.require(profile.unit, UNIT_ROLES)
    if not profile.is_editable:
        messages.error(request, "این نسخه فرستاده شده و ویرایش‌پذیر نیست.")
        return redirect("offices:profile_detail", profile.pk)
    initial = {name: getattr(profile, name) for name in services.PROFILE_FIELDS}
    form = ProfileForm(request.POST or None, request.FILES or None, initial=initial)
    submit = request.POST.get("submit") == "1"

    def save(data):
        data = dict(data)
        return services.profile_update(profile=profile, by=request.user, brochure=data.pop("brochure") or None,
                                       photos=data.pop("photos"), captions=data.pop("captions"), submit=submit, **data)

    if save_form(request, form, save, "معرفی‌نامه به اداره کل فرستاده شد." if submit else "معرفی‌نامه ذخیره شد."):
        return redirect("offices:profile_detail", profile.pk)
    return render(request, "offices/profile_form.html",
                  {"form": form, "profile": profile, "photos": list(profile.photos.all())})


@login_required
@require_POST
def profile_photo_remove(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    profile = _get_profile(request, pk)
    photo = get_object_or_404(profile.photos, pk=photo_pk)
    try:
        services.profile_photo_remove(photo=photo, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("offices:profile_edit", profile.pk)


@login_required
@require_POST
def profile_brochure_remove(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _get_profile(request, pk)
    try:
        services.profile_brochure_remove(profile=profile, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("offices:profile_edit", profile.pk)


def _inline_photos(profile: UnitProfile, limit: int = 6) -> list[dict]:
    """Photos as data: URLs, since the PDF renderer may read no storage (S3 in production) itself."""
    photos = []
    for photo in profile.photos.all()[:limit]:
        with photo.image.open("rb") as handle:
            data = base64.b64encode(handle.read()).decode()
        photos.append({"caption": photo.caption, "data": f"data:{photo.content_type};base64,{data}"})
    return photos


def brochure_pdf(profile: UnitProfile) -> bytes:
    """The brochure generated from `profile` (A4, Persian, its first photos)."""
    return render_pdf("offices/pdf/brochure.html", {"profile": profile, "photos": _inline_photos(profile)})


def _brochure_response(profile: UnitProfile) -> HttpResponse:
    if profile.brochure:
        return private_file_response(profile.brochure, download_name=f"brochure-{profile.unit.code}-{profile.version}")
    return pdf_response(f"بروشور-{profile.unit.name}-نسخه-{profile.version}", brochure_pdf(profile))


@login_required
def profile_brochure(request: HttpRequest, pk: int) -> HttpResponse:
    return _brochure_response(_get_profile(request, pk))


def _photo_response(photo) -> HttpResponse:
    return private_file_response(photo.image, checked_type=photo.content_type)


@login_required
def profile_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    profile = _get_profile(request, pk)
    return _photo_response(get_object_or_404(profile.photos, pk=photo_pk))


# Public side: the latest approved version of a unit ---------------------------------------------------------


def _public_profile(code: str) -> UnitProfile:
    unit = get_object_or_404(Unit, code=code, is_active=True)
    profile = UnitProfile.objects.filter(unit=unit, state=ProfileState.ACKNOWLEDGED).select_related("unit") \
        .order_by("-version").first()
    if profile is None:
        raise Http404("این واحد هنوز معرفی‌نامه تأییدشده ندارد.")
    return profile


def public_unit(request: HttpRequest, code: str) -> HttpResponse:
    profile = _public_profile(code)
    return render(request, "offices/public_unit.html", {"profile": profile, "photos": list(profile.photos.all())})


def public_brochure(request: HttpRequest, code: str) -> HttpResponse:
    return _brochure_response(_public_profile(code))


def public_photo(request: HttpRequest, code: str, photo_pk: int) -> HttpResponse:
    profile = _public_profile(code)
    return _photo_response(get_object_or_404(profile.photos, pk=photo_pk))
