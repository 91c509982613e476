"""Demo data: a month of Persian news with generated photos; bench data: province-scale volume."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from ravabet.lib import jalali
from ravabet.lib.digits import to_persian_digits
from ravabet.lib.text import search_key
from ravabet.lib.workdays import Calendar
from ravabet.photos import hashing
from ravabet.photos.imagegen import landscape
from ravabet.photos.models import Photo
from ravabet.workflow.engine import move

from . import services
from .models import News, NewsKind, NewsPhoto, NewsState

VILLAGES = ["کوشک", "سیدان", "کناره", "حسین‌آباد", "دشتک", "خرمی", "بندامیر", "رامجرد", "فتح‌آباد", "شول"]
ROADS = ["مرودشت - سعادت‌شهر", "کازرون - نورآباد", "جهرم - فسا", "شیراز - مرودشت", "داراب - فسا", "دوقلو - کنارتخته"]
STORIES = [
    (NewsKind.NEWS, "بازدید رئیس اداره از پروژه راه روستایی {village}",
     "رئیس اداره راه و شهرسازی شهرستان از روند اجرای پروژه راه روستایی {village} بازدید کرد.",
     "در این بازدید که با حضور دهیار و اعضای شورای اسلامی روستا انجام شد، پیشرفت فیزیکی پروژه {n} درصد اعلام شد.\n\n"
     "رئیس اداره گفت: عملیات زیرسازی تا پایان ماه آینده تمام می‌شود و آسفالت پیش از فصل بارش اجرا خواهد شد."),
    (NewsKind.ACTIVITY, "آغاز لکه‌گیری و روکش آسفالت محور {road}",
     "عملیات لکه‌گیری و روکش آسفالت {n} کیلومتر از محور {road} آغاز شد.",
     "راهداران شهرستان با هدف افزایش ایمنی تردد، لکه‌گیری نقاط آسیب‌دیده محور {road} را آغاز کردند.\n\n"
     "از رانندگان درخواست می‌شود در محدوده کارگاه با احتیاط و سرعت مجاز حرکت کنند."),
    (NewsKind.ACTIVITY, "ایمن‌سازی {n} نقطه حادثه‌خیز در محورهای شهرستان",
     "{n} نقطه حادثه‌خیز محورهای شهرستان با نصب گاردریل و تابلو ایمن شد.",
     "این نقاط بر پایه آمار تصادفات سال گذشته و با هماهنگی پلیس راه شناسایی شده بود.\n\n"
     "نصب علائم ایمنی، خط‌کشی و روشنایی از دیگر کارهای انجام‌شده است."),
    (NewsKind.NEWS, "برگزاری جلسه شورای ترافیک شهرستان با محوریت ایمنی راه‌ها",
     "جلسه شورای ترافیک شهرستان با حضور فرماندار و رئیس اداره برگزار شد.",
     "در این جلسه درباره ساماندهی ورودی‌های شهر، نصب سرعت‌گیر در روستای {village} و زمان‌بندی طرح زمستانی گفت‌وگو شد."),
    (NewsKind.ACTIVITY, "جمع‌آوری {n} تابلوی غیرمجاز از حریم راه {road}",
     "گروه حریم راه اداره {n} تابلوی تبلیغاتی غیرمجاز را از حاشیه محور {road} جمع‌آوری کرد.",
     "تابلوهای غیرمجاز دید رانندگان را کم می‌کنند و خطر تصادف را بالا می‌برند."),
    (NewsKind.NEWS, "آمادگی راهداران برای اجرای طرح زمستانی",
     "راهداران شهرستان با {n} دستگاه ماشین‌آلات برای طرح زمستانی آماده شدند.",
     "در مانور امروز، آمادگی نیروها و ماشین‌آلات راهداری برای برف‌روبی و نمک‌پاشی محورهای کوهستانی سنجیده شد."),
    (NewsKind.ACHIEVEMENT, "کسب رتبه برتر استانی در ارزیابی عملکرد راهداری",
     "اداره راه و شهرسازی شهرستان در ارزیابی عملکرد راهداری استان رتبه نخست را کسب کرد.",
     "این رتبه حاصل کاهش {n} درصدی زمان پاسخ به حوادث جاده‌ای و تکمیل به‌موقع پروژه‌های روستایی است."),
    (NewsKind.NEWS, "تحویل {n} واحد مسکن ملی به متقاضیان",
     "کلید {n} واحد مسکن ملی در شهرستان به متقاضیان واجد شرایط تحویل داده شد.",
     "این واحدها در قالب طرح نهضت ملی مسکن ساخته شده و انشعابات آب، برق و گاز آن‌ها برقرار است."),
]


def _story(rng, index: int):
    kind, title, lead, body = STORIES[index % len(STORIES)]
    values = {"village": rng.choice(VILLAGES), "road": rng.choice(ROADS), "n": rng.randint(3, 45)}
    return kind, *(to_persian_digits(text.format(**values)) for text in (title, lead, body))


def seed_demo(ctx) -> None:
    """About a month of news for the two staffed counties: published, waiting, returned and drafts."""
    if News.objects.filter(form_token__startswith="demo-").exists():
        return
    today = jalali.today()
    start = today - dt.timedelta(days=32)
    days = [d for d in Calendar(start, today - dt.timedelta(days=1)).working_days()]
    expert, head = ctx.users["hq.expert"], ctx.users["hq.head"]
    seed = 1000
    for county_code in ("marvdasht", "kazerun"):
        unit, officer = ctx.counties[county_code], ctx.users[f"{county_code}.pr"]
        manager = ctx.users[f"{county_code}.manager"]
        for index, day in enumerate(days):
            if ctx.rng.random() < 0.2:
                continue  # some working days without news, so the grid shows gaps
            seed += 1
            kind, title, lead, body = _story(ctx.rng, index + (3 if county_code == "kazerun" else 0))
            uploads = [SimpleUploadedFile(f"IMG_{seed}_{n}.jpg", landscape(seed * 10 + n)) for n in range(1 + seed % 2)]
            news, _ = services.news_create(unit=unit, by=officer, form_token=f"demo-{county_code}-{day}", kind=kind,
                                           title=title, lead=lead, body=body, news_date=day, occasion="",
                                           tags="راه، " + unit.city, uploads=uploads)
            recent = (today - day).days <= 3
            if recent and index % 3 == 0:
                continue  # a draft still being written
            services.news_submit(news=news, by=officer)
            if news.is_achievement:
                move(news, "manager_approve", by=manager)
            if recent:
                if index % 3 == 1:
                    move(news, "return_to_unit", by=expert, comment="لطفاً نام روستا و عدد دقیق را در لید بیاورید.")
            else:
                if news.is_achievement:
                    move(news, "approve_achievement", by=head)
                move(news, "publish", by=expert)
            moment = timezone.make_aware(dt.datetime.combine(day, dt.time(11, 0)))
            News.objects.filter(pk=news.pk).update(
                sent_on=day, submitted_at=moment,
                published_at=moment + dt.timedelta(hours=3) if news.state == NewsState.PUBLISHED else None)


def seed_bench(ctx) -> None:
    """≥ 50,000 news and ≥ 200,000 photo hashes over 30 units and 5 years, with bulk inserts and no image files."""
    if News.objects.filter(unit__in=ctx.units).exists():
        return
    rng = ctx.rng
    today = timezone.localdate()
    first = today - dt.timedelta(days=365 * ctx.years)
    days = Calendar(first, today).working_days()
    per_news_photos = 4
    for unit in ctx.units:
        officer = ctx.officer_by_unit[unit.pk]
        photos, news_rows = [], []
        # One or two items on most working days: about 59,000 news and 236,000 photos for 30 units × 5 years.
        items = [day for day in days if rng.random() >= 0.04 for _ in range(1 + (rng.random() < 0.75))]
        for day in items:
            for _ in range(per_news_photos):
                value = hashing.to_signed(rng.getrandbits(64))
                b0, b1, b2, b3 = hashing.bands(value)
                photos.append(Photo(unit=unit, uploaded_by=officer, image="bench/photo.jpg",
                                    thumbnail="bench/thumb.jpg", width=1600, height=1067, phash=value, band0=b0,
                                    band1=b1, band2=b2, band3=b3, checks=[]))
            kind, title, lead, body = _story(rng, rng.randrange(len(STORIES)))
            old = (today - day).days > 7
            moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
            news_rows.append(News(
                unit=unit, author=officer, kind=kind, title=title, lead=lead, body=f"<p>{body}</p>", news_date=day,
                state=NewsState.PUBLISHED if old else NewsState.SUBMITTED, photo_count=per_news_photos,
                search_key=search_key(f"{title} {lead}"), sent_on=day, submitted_at=moment,
                published_at=moment if old else None, manager_approved_at=moment, head_approved_at=moment))
        with transaction.atomic():
            Photo.objects.bulk_create(photos, batch_size=2000)
            News.objects.bulk_create(news_rows, batch_size=2000)
            links = []
            for position, news in enumerate(news_rows):
                batch = photos[position * per_news_photos:(position + 1) * per_news_photos]
                news.cover_id = batch[0].pk
                links += [NewsPhoto(news=news, photo=photo, order=n) for n, photo in enumerate(batch)]
            News.objects.bulk_update(news_rows, ["cover"], batch_size=2000)
            NewsPhoto.objects.bulk_create(links, batch_size=5000)
