"""B8: the banner request composes the customary condolence text from HQ's templates."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ravabet.messaging import services
from ravabet.messaging.condolence import compose_condolence_text
from ravabet.messaging.models import CondolenceBanner, CondolenceTemplate
from ravabet.outbox.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seeded_templates(db):
    """The customary texts come from a data migration; a browser test run earlier in the same worker
    empties every table (transactional tests flush), so the migration's own seeding is run again."""
    from importlib import import_module

    from django.apps import apps

    import_module("ravabet.messaging.migrations.0005_condolence_templates").seed_templates(apps, None)


def test_hq_starts_with_the_customary_texts_and_a_fathers_death_reads_as_it_should(world):
    assert CondolenceTemplate.objects.filter(relation="family", kinship="father").exists()
    banner = services.banner_create(unit=world.county_a, by=world.officer, deceased_name="حسین احمدی",
                                    deceased_title="مرحوم حاج", relation="family", kinship="father",
                                    bereaved="علی احمدی", bereaved_title="جناب آقای")
    assert banner.text.splitlines()[0] == "همکار ارجمند جناب آقای علی احمدی"
    assert "درگذشت پدر بزرگوارتان مرحوم حاج حسین احمدی را به جنابعالی" in banner.text
    assert "آقای/سرکار خانم" not in banner.text and "  " not in banner.text
    # HQ's head hears of it in their queue.
    assert Notification.objects.filter(user=world.hq_head, title__contains="حسین احمدی").exists()


def test_a_mother_is_mourned_as_marhoumeh_and_a_kinship_without_its_own_text_uses_the_general_one(world):
    mother = compose_condolence_text(unit_name="اداره", deceased_name="فاطمه کریمی", relation="family",
                                     deceased_title="مرحومه", kinship="mother", bereaved="زهرا کریمی",
                                     bereaved_title="سرکار خانم")
    assert "مادر مهربان‌تان مرحومه فاطمه کریمی" in mother and "آن مرحومه" in mother
    assert mother.startswith("همکار ارجمند سرکار خانم زهرا کریمی")
    sister = compose_condolence_text(unit_name="اداره", deceased_name="مریم کریمی", relation="family",
                                     kinship="sister", bereaved="زهرا کریمی", bereaved_title="سرکار خانم")
    assert "درگذشت خواهر گرامی‌تان مریم کریمی" in sister and "آن مرحومه" in sister


def test_a_colleague_and_an_official_get_their_own_texts_with_title_and_position(world):
    text = services.default_banner_text(unit=world.county_a, deceased_name="حسن رضایی", deceased_title="شادروان",
                                        relation="colleague", position="کارشناس فنی")
    assert f"همکار گرامی شادروان حسن رضایی کارشناس فنی را به خانواده محترم ایشان و همکاران {world.county_a.name}" in text
    official = services.default_banner_text(unit=world.county_a, deceased_name="محمد نوری", relation="official",
                                            deceased_title="مرحوم", position="فرماندار پیشین")
    assert "درگذشت مرحوم محمد نوری فرماندار پیشین" in official and "مردم شریف شهرستان" in official


def test_hq_edits_a_template_and_the_next_request_uses_it(world, client_for):
    template = CondolenceTemplate.objects.get(relation="family", kinship="spouse")
    response = client_for("hq_expert").post(reverse("messaging:condolence_template_edit", args=[template.pk]), {
        "relation": "family", "kinship": "spouse",
        "text": "همکار گرامی {همکار}\nدرگذشت همسر فداکارتان {عنوان} {درگذشته} را تسلیت می‌گوییم."})
    assert response.status_code == 302
    banner = services.banner_create(unit=world.county_a, by=world.officer, deceased_name="لیلا صادقی",
                                    relation="family", kinship="spouse", bereaved="رضا صادقی",
                                    bereaved_title="جناب آقای", deceased_title="مرحومه")
    assert banner.text == "همکار گرامی جناب آقای رضا صادقی\nدرگذشت همسر فداکارتان مرحومه لیلا صادقی را تسلیت می‌گوییم."
    page = client_for("hq_head").get(reverse("messaging:condolence_templates")).content.decode()
    assert "درگذشت همسر فداکارتان" in page


def test_a_template_with_an_unknown_placeholder_is_refused_on_its_field_and_kept_as_typed(world, client_for):
    typed = "درگذشت {نام_متوفی} را تسلیت می‌گوییم."
    response = client_for("hq_expert").post(reverse("messaging:condolence_template_create"), {
        "relation": "official", "kinship": "", "text": typed})
    html = response.content.decode()
    assert response.status_code == 200 and "جای‌نمای ناشناخته: {نام_متوفی}" in html and "{نام_متوفی}" in html
    with pytest.raises(ValidationError) as error:
        services.condolence_template_save(by=world.hq_expert, relation="official", kinship="", text="متن {درگذشته}")
    assert "kinship" in error.value.message_dict  # the official's text already exists: edit it instead
    with pytest.raises(PermissionDenied):
        services.condolence_template_save(by=world.officer, relation="colleague", kinship="child", text="متن")


def test_the_request_form_composes_the_text_for_the_county_to_see_before_sending(world, client_for):
    data = {"deceased_title": "مرحوم", "deceased_name": "کریم امینی", "relation": "family", "kinship": "father",
            "bereaved_title": "جناب آقای", "bereaved": "رسول امینی", "text": "", "compose": "1"}
    response = client_for("officer").post(reverse("messaging:banner_create"), data)
    html = response.content.decode()
    assert response.status_code == 200 and "درگذشت پدر بزرگوارتان مرحوم کریم امینی" in html
    assert not CondolenceBanner.objects.exists()
    missing = client_for("officer").post(reverse("messaging:banner_create"), {**data, "kinship": "", "compose": "1"})
    assert "نسبت درگذشته با همکار را برگزینید" in missing.content.decode()
