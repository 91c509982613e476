"""Demo and benchmark data for the platform. Other apps add theirs in their own demo.py:

    def seed_demo(ctx: DemoContext) -> None: ...   # idempotent: runs on every `make run`
    def seed_bench(ctx: BenchContext) -> None: ...  # province scale, for bench/

Both commands call the platform first, then every app's demo module in INSTALLED_APPS order.
"""

import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Membership, Person, Unit, UnitKind
from .roles import Role

DEMO_PASSWORD = "ravabet-demo"
PROVINCE = "فارس"
DIRECTORATE = "اداره کل راه و شهرسازی استان فارس"
COUNTIES = [
    ("marvdasht", "مرودشت"),
    ("kazerun", "کازرون"),
    ("jahrom", "جهرم"),
    ("fasa", "فسا"),
    ("larestan", "لارستان"),
    ("darab", "داراب"),
]
# Two counties get one user per role; the rest have a PR officer only.
STAFFED = ("marvdasht", "kazerun")
FIRST_NAMES = ["علی", "محمد", "زهرا", "فاطمه", "حسین", "مریم", "رضا", "سارا", "مهدی", "نرگس", "امیر", "الهام",
               "حمید", "لیلا", "جواد", "مینا", "سعید", "پریسا", "مجید", "شیما"]
LAST_NAMES = ["احمدی", "محمدی", "حسینی", "رضایی", "کریمی", "موسوی", "جعفری", "صادقی", "قاسمی", "نوروزی",
              "رحیمی", "کاظمی", "شریفی", "اکبری", "هاشمی", "باقری", "زارعی", "فرهادی", "یزدانی", "دهقان"]
POSITIONS = ["کارشناس فنی", "کارشناس اداری", "مسئول دبیرخانه", "کارشناس مالی", "راننده", "کارشناس حقوقی",
             "کارشناس نقشه‌برداری", "کاردان راهداری", "مسئول انبار", "کارشناس فناوری اطلاعات"]


@dataclass
class DemoContext:
    hq: Unit
    counties: dict[str, Unit]
    users: dict[str, object]
    rng: random.Random = field(default_factory=lambda: random.Random(1405))

    def user(self, username: str):
        return self.users[username]


@dataclass
class BenchContext:
    hq: Unit
    units: list[Unit]
    officer_by_unit: dict[int, object]
    hq_expert: object
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    years: int = 5


def _user(username: str, full_name: str, mobile: str, *, superuser: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, "mobile": mobile, "email": f"{username}@example.ir",
                                     "is_staff": superuser, "is_superuser": superuser})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, unit) of every demo login, for the README and `make run`."""
    rows = [("admin", "مدیر سامانه (superuser)", "—"), ("hq.head", Role.HQ_HEAD.label, DIRECTORATE),
            ("hq.expert", Role.HQ_EXPERT.label, DIRECTORATE)]
    for code, name in COUNTIES:
        if code in STAFFED:
            rows += [(f"{code}.manager", Role.UNIT_MANAGER.label, name), (f"{code}.pr", Role.PR_OFFICER.label, name),
                     (f"{code}.staff", Role.STAFF.label, name)]
    return rows


@transaction.atomic
def seed_platform() -> DemoContext:
    hq, _ = Unit.objects.update_or_create(
        code="fars-hq", defaults={"name": DIRECTORATE, "city": "شیراز", "kind": UnitKind.HQ, "parent": None,
                                  "address": "شیراز، بلوار چمران", "phone": "۰۷۱-۳۶۲۵۰۰۰۰"})
    counties = {}
    for code, name in COUNTIES:
        counties[code], _ = Unit.objects.update_or_create(
            code=code, defaults={"name": f"اداره راه و شهرسازی شهرستان {name}", "city": name, "parent": hq,
                                 "kind": UnitKind.COUNTY})
    users = {"admin": _user("admin", "مدیر سامانه", "09170000000", superuser=True)}
    plan = [("hq.head", "مهدی کشاورز", hq, Role.HQ_HEAD), ("hq.expert", "سمیه افشار", hq, Role.HQ_EXPERT)]
    names = iter([("فرزانه بهرامی", "حسن ملکی", "نسرین کامرانی"), ("کامران پاکزاد", "لیلا صفایی", "رسول امینی")])
    for code in STAFFED:
        manager, officer, staff = next(names)
        plan += [(f"{code}.manager", manager, counties[code], Role.UNIT_MANAGER),
                 (f"{code}.pr", officer, counties[code], Role.PR_OFFICER),
                 (f"{code}.staff", staff, counties[code], Role.STAFF)]
    for index, (username, full_name, unit, role) in enumerate(plan):
        mobile = f"0917{index + 1:07d}"
        user = users[username] = _user(username, full_name, mobile)
        Membership.objects.get_or_create(user=user, unit=unit, role=role)
        Person.objects.get_or_create(user=user, defaults={"unit": unit, "full_name": full_name, "mobile": mobile,
                                                          "position": role.label, "email": user.email})
    rng = random.Random(11)
    for unit in [hq, *counties.values()]:
        for n in range(12):
            full_name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            mobile = f"091{rng.randint(0, 9)}{rng.randint(1000000, 9999999)}" if n % 7 else ""
            Person.objects.get_or_create(unit=unit, full_name=full_name, defaults={
                "mobile": mobile, "position": rng.choice(POSITIONS), "sms_opt_out": n == 5})
    return DemoContext(hq=hq, counties=counties, users=users)


def seed_bench_platform(units: int = 30, staff_per_unit: int = 60) -> BenchContext:
    """A province: HQ and `units` county offices, with a PR officer each and a staff directory."""
    User = get_user_model()
    hq, _ = Unit.objects.get_or_create(code="bench-hq", defaults={"name": "اداره کل (بار آزمون)", "city": "شیراز",
                                                                  "kind": UnitKind.HQ})
    expert = _user("bench.expert", "کارشناس آزمون بار", "09180000000")
    Membership.objects.get_or_create(user=expert, unit=hq, role=Role.HQ_EXPERT)
    result, officers = [], {}
    rng = random.Random(5)
    for index in range(units):
        unit, _ = Unit.objects.get_or_create(code=f"bench-{index:02d}", defaults={
            "name": f"اداره شهرستان آزمون {index + 1}", "city": f"شهر {index + 1}", "parent": hq})
        officer = _user(f"bench.pr{index:02d}", f"مسئول روابط عمومی {index + 1}", f"0918{index + 1:07d}")
        Membership.objects.get_or_create(user=officer, unit=unit, role=Role.PR_OFFICER)
        if not unit.people.exists():
            Person.objects.bulk_create(Person(unit=unit, full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                                              mobile=f"0919{index:02d}{n:05d}", position=rng.choice(POSITIONS))
                                       for n in range(staff_per_unit))
        result.append(unit)
        officers[unit.pk] = officer
    del User
    return BenchContext(hq=hq, units=result, officer_by_unit=officers, hq_expert=expert)
