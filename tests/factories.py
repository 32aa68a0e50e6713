"""factory-boy factories: a city with districts, units, a campaign and its activities."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from qualitymonth.campaigns.models import Activity, Campaign, Domain, FocusArea, Registration
from qualitymonth.core.models import Membership, Region, Unit


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    # Not 35xxxx: those are Fujian's real codes, which tests and the demo use for districts.
    # Not 99xxxx either: tests that need a code of their own write one there ("990100"), and a
    # sequence that had counted that far in a worker would collide with it, depending on order.
    code = factory.Sequence(lambda n: f"97{n:04d}")
    name = factory.Sequence(lambda n: f"测试市{n}")
    level = Region.Level.CITY


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    short_name = factory.Sequence(lambda n: f"单位{n}")
    kind = Unit.Kind.GOVERNMENT
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "测试"
    password = factory.PostGenerationMethodCall("set_password", "pw-12345678")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Membership.Role.UNIT_STAFF


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    year = 2022
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    region = factory.SubFactory(RegionFactory)
    theme = "推动质量变革创新 促进质量强市建设"
    slogan = "民生至上 品质厦门"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + dt.timedelta(days=29))
    lead_unit = factory.SubFactory(UnitFactory, region=factory.SelfAttribute("..region"))

    @factory.post_generation
    def structure(obj, create, extracted, **kwargs):
        if not create:
            return
        for i, (code, name) in enumerate(
            [("education", "开展质量宣传教育"), ("improvement", "深化质量提升行动")]
        ):
            FocusArea.objects.create(campaign=obj, code=code, name=name, order=i)
        for i, (code, name) in enumerate(
            [("product", "产品"), ("service", "服务"), ("medical", "医疗")]
        ):
            Domain.objects.create(campaign=obj, code=code, name=name, order=i)
        for code, name in [("350203", "思明区"), ("350206", "湖里区")]:
            Region.objects.get_or_create(
                code=code, defaults={"name": name, "level": "district", "parent": obj.region}
            )


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    title = factory.Sequence(lambda n: f"计量服务中小企业行 第{n}站")
    summary = "计量专家上门服务"
    organiser = factory.SubFactory(UnitFactory, region=factory.SelfAttribute("..campaign.region"))
    focus_area = factory.LazyAttribute(lambda o: o.campaign.focus_areas.first())
    kind = Activity.Kind.OFFLINE
    activity_type = Activity.Type.SERVICE_TOUR
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(hours=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    district = factory.LazyAttribute(lambda o: o.campaign.region.children.first())
    venue = "湖里区某工业园区"
    capacity = 30
    status = Activity.Status.PUBLISHED
    search_text = factory.LazyAttribute(lambda o: f"{o.title} {o.summary} {o.venue}".lower())

    @factory.post_generation
    def domains(obj, create, extracted, **kwargs):
        if create:
            obj.domains.set(extracted or [obj.campaign.domains.first()])


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    activity = factory.SubFactory(ActivityFactory)
    name = "张三"
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    status = Registration.Status.CONFIRMED


# Two cities on one deployment (tests/conftest.py: city_a, city_b): made-up codes in 99xxxx, never
# real GB/T 2260 ones, and clear of the factory's 97xxxx.
CITY_A, CITY_B = "990100", "990200"
