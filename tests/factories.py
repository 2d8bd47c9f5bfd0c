import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from kendra.models import Centre, Consent, Membership, Resident, Role


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre

    name = factory.Sequence(lambda n: f"Nasha Mukti Kendra {n}")
    city = "Jaipur"
    state = "Rajasthan"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.in")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    centre = factory.SubFactory(CentreFactory)
    role = Role.COUNSELOR


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident
        skip_postgeneration_save = True

    centre = factory.SubFactory(CentreFactory)
    full_name = factory.Sequence(lambda n: f"Ravi Kumar {n}")
    gender = "male"
    preferred_language = "en"
    date_of_birth = dt.date(1990, 5, 17)
    languages = factory.LazyFunction(lambda: ["hi"])
    primary_substances = factory.LazyFunction(lambda: ["alcohol"])
    admission_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=20))
    sobriety_date = factory.LazyAttribute(lambda r: r.admission_date)

    @factory.post_generation
    def stay(obj, create, extracted, **kwargs):
        """Every resident has a stay (as admitting makes one): `stay=False` for none."""
        if create and extracted is not False:
            from kendra.stays import Stay

            Stay.mirror(obj)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    resident = factory.SubFactory(ResidentFactory)
    purpose = Consent.Purpose.FAMILY_SCHEDULE


def member(role, centre, username=None, **kwargs):
    """A user with one role in one centre."""
    user = UserFactory(**({"username": username} if username else {}), **kwargs)
    MembershipFactory(user=user, centre=centre, role=role)
    return user
