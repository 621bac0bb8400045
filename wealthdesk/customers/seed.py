"""Demo customers: Chinese names, valid resident IDs (GB 11643 check digit), mobiles, addresses and AUM
spread so each client manager holds 100–200 premium customers. Bulk-loaded (COPY on PostgreSQL), ID number, mobile
and address encrypted on the way (issue 15)."""
import datetime as dt
from decimal import Decimal

from django.db import connection
from django.utils import timezone
from faker.providers.person.zh_CN import Provider as PersonProvider

from wealthdesk.core.bulk import copy_rows
from wealthdesk.core.fields import copy_encoder
from wealthdesk.core.roles import Role
from wealthdesk.core.seeding import SeedContext
from wealthdesk.core.validators import id_check_digit
from wealthdesk.staff.models import User

from .choices import CustomerStatus, Gender, IdType, RiskLevel, Tier, TierChangeSource
from .models import Customer
from .services import tier_for_aum, tier_thresholds

REGIONS = ["110105", "110108", "310115", "310104", "440106", "440304", "330106", "320106", "510104", "420103",
           "610113", "120101", "320505", "500103"]
DISTRICTS = ["北京市朝阳区", "北京市海淀区", "上海市浦东新区", "上海市徐汇区", "广州市天河区", "深圳市福田区",
             "杭州市西湖区", "南京市鼓楼区", "成都市锦江区", "武汉市江汉区", "西安市雁塔区", "天津市和平区",
             "苏州市姑苏区", "重庆市渝中区"]
ROADS = ["人民路", "中山路", "解放路", "建设路", "和平路", "长江路", "新华路", "延安路", "南京路", "世纪大道"]
JOBS = ["企业主", "公务员", "教师", "医生", "工程师", "自由职业", "企业高管", "退休", "个体工商户", "律师", "会计师"]
MOBILE_PREFIX = ["138", "139", "136", "137", "150", "151", "158", "186", "188", "135", "159", "177", "189"]
BASE_DAY = dt.date(1950, 1, 1)
COLUMNS = ["cif_no", "name", "gender", "birth_date", "id_type", "id_number", "mobile", "address", "occupation",
           "tier", "risk_level", "client_manager_id", "center_id", "status", "aum", "aum_avg", "aum_as_of",
           "created_at", "updated_at"]


def make_id_number(i: int, rng) -> tuple[str, dt.date, str]:
    """A unique, valid 18-digit resident ID for customer number ``i``."""
    birth = BASE_DAY + dt.timedelta(days=i % 18000)
    region = REGIONS[(i // 18000) % len(REGIONS)]
    gender_bit = rng.randint(0, 1)
    seq = (i // (18000 * len(REGIONS))) * 2 + gender_bit + 100
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17), birth, Gender.MALE if gender_bit else Gender.FEMALE


def draw_aum(rng) -> Decimal:
    """Mostly ordinary-premium balances, a fifth core, a few private-banking and some below premium."""
    roll = rng.random()
    if roll < 0.03:
        value = rng.uniform(6_000_000, 30_000_000)
    elif roll < 0.22:
        value = rng.uniform(1_000_000, 6_000_000)
    elif roll < 0.92:
        value = rng.uniform(200_000, 1_000_000)
    else:
        value = rng.uniform(20_000, 200_000)
    return Decimal(f"{value:.2f}")


def seed(ctx: SeedContext) -> None:
    have = Customer.objects.count()
    if have >= ctx.customers:
        ctx.log(f"    customers already present: {have}")
        return
    rng, faker = ctx.rng, ctx.faker
    last_names = list(PersonProvider.last_names.keys()) if isinstance(PersonProvider.last_names, dict) \
        else list(PersonProvider.last_names)
    first_names = list(PersonProvider.first_names)
    managers = list(User.objects.filter(role_assignments__role=Role.CLIENT_MANAGER).order_by("unit_id", "id")
                    .values_list("id", "unit_id"))
    thresholds = tier_thresholds()
    now = timezone.now()
    today = ctx.today
    first_new = have

    def rows():
        for i in range(have, ctx.customers):
            manager_id, center_id = managers[i % len(managers)]
            id_number, birth, gender = make_id_number(i, rng)
            aum_avg = draw_aum(rng)
            aum = (aum_avg * Decimal(str(rng.uniform(0.9, 1.1)))).quantize(Decimal("0.01"))
            district = DISTRICTS[i % len(DISTRICTS)]
            mobile = rng.choice(MOBILE_PREFIX) + f"{rng.randint(0, 99_999_999):08d}"
            yield (f"C{i + 1:09d}", rng.choice(last_names) + rng.choice(first_names), gender, birth,
                   IdType.MAINLAND_ID, id_number, mobile,
                   f"{district}{rng.choice(ROADS)}{rng.randint(1, 999)}号{rng.randint(1, 30)}栋{rng.randint(101, 2802)}室",
                   rng.choice(JOBS), tier_for_aum(aum_avg, thresholds), rng.choice(RiskLevel.values),
                   manager_id, center_id, CustomerStatus.ACTIVE, aum, aum_avg, today, now, now)

    del faker
    columns, encode = copy_encoder(Customer, COLUMNS)  # ciphertext + blind indexes, computed in Python
    n = copy_rows(Customer._meta.db_table, columns, map(encode, rows()))
    # Each premium customer's initial grading, a year ago (R2 tier history), set-based.
    first_id = Customer.objects.filter(cif_no=f"C{first_new + 1:09d}").values_list("id", flat=True).first()
    if first_id is not None:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO customers_tierhistory (customer_id, from_tier, to_tier, changed_on, aum_avg, source,"
                " reason, created_at) SELECT id, '', tier, %s, aum_avg, %s, %s, %s FROM customers_customer"
                " WHERE id >= %s AND tier <> %s",
                [today - dt.timedelta(days=365), TierChangeSource.IMPORT, "开户定级", now, first_id, Tier.ORDINARY],
            )
    ctx.log(f"    customers: +{n}")
