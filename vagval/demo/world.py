"""The demo world: organisations, units, projects, methods and demo users.

Built from the organisations in the source documents (VBU in Ludvika and Smedjebacken,
#redonu in Dalarna, Våga Välja Väg in Flen, ...). Building is idempotent: every record is
looked up by its natural key (name) first, so running it twice changes nothing.

Organisations, units, projects and methods are seed data written with the ORM directly:
the organisation services log each write as an administrator's action, and no
administrator did this. Users go through accounts.services.user_create as the system actor
"demodata" (accounts.system), which the access log names.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass, field

from django.db import transaction

from vagval.accounts.models import ProjectRole, Role, User
from vagval.accounts.services import UserData, user_create, user_set_password
from vagval.accounts.system import SystemActor, system_context
from vagval.organisations.models import Method, Municipality, Organisation, OrganisationKind, Project, Unit

DEFAULT_DEMO_PASSWORD = "demo-vagval-2026"  # noqa: S105 - printed on purpose; demo mode only

# The account every generated change row is attributed to when a unit has no demo coach.
# Inactive, with a random password nobody knows: it cannot log in.
IMPORT_USERNAME = "demodata"


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    kind: str
    municipality_code: str | None
    units: tuple[tuple[str, str], ...]  # (unit key, unit name)


# Unit keys are "<org key>.<unit>"; persons.py refers to them.
ORGANISATIONS: tuple[OrgSpec, ...] = (
    OrgSpec(
        "ludvika",
        "Ludvika kommun",
        OrganisationKind.MUNICIPALITY,
        "2085",
        (("ame", "Arbetsmarknadsenheten"), ("ifo", "Socialtjänsten IFO"), ("kaa", "KAA/Gymnasieskolan")),
    ),
    OrgSpec(
        "smedjebacken",
        "Smedjebackens kommun",
        OrganisationKind.MUNICIPALITY,
        "2061",
        (("ame", "Arbetsmarknadsenheten"), ("ifo", "Socialtjänsten IFO")),
    ),
    OrgSpec("leksand", "Leksands kommun", OrganisationKind.MUNICIPALITY, "2029", (("ame", "Arbetsmarknadsenheten"),)),
    OrgSpec("rattvik", "Rättviks kommun", OrganisationKind.MUNICIPALITY, "2031", (("ame", "Arbetsmarknadsenheten"),)),
    OrgSpec(
        "malung", "Malung-Sälens kommun", OrganisationKind.MUNICIPALITY, "2023", (("ame", "Arbetsmarknadsenheten"),)
    ),
    OrgSpec("alvdalen", "Älvdalens kommun", OrganisationKind.MUNICIPALITY, "2039", (("ame", "Arbetsmarknadsenheten"),)),
    OrgSpec(
        "flen",
        "Flens kommun",
        OrganisationKind.MUNICIPALITY,
        "0482",
        (("ame", "Arbetsmarknadsenheten"), ("folkhalsa", "Folkhälsa och fritid")),
    ),
    OrgSpec(
        "region",
        "Region Dalarna",
        OrganisationKind.REGION,
        None,
        (("utveckling", "Regional utveckling"), ("fou", "FoU Dalarna")),
    ),
    OrgSpec("af", "Arbetsförmedlingen", OrganisationKind.EMPLOYMENT_SERVICE, None, (("ludvika", "Ludvika"),)),
    OrgSpec("fk", "Försäkringskassan", OrganisationKind.SOCIAL_INSURANCE, None, (("dalarna", "Dalarna"),)),
    OrgSpec("polis", "Polisen", OrganisationKind.POLICE, None, (("ludvika", "Lokalpolisområde Ludvika"),)),
    OrgSpec(
        "finsam",
        "Samordningsförbundet Södra Dalarna",
        OrganisationKind.COORDINATION_ASSOCIATION,
        "2085",
        (("kansli", "Kansliet"),),
    ),
    OrgSpec(
        "vbu",
        "Västerbergslagens utbildningscentrum",
        OrganisationKind.SCHOOL,
        "2085",
        (("intro", "Introduktionsprogrammen"), ("vux", "Vuxenutbildningen")),
    ),
    OrgSpec(
        "verkstad",
        "Bergslagens Verkstäder AB (fiktivt företag)",
        OrganisationKind.EMPLOYER,
        "2085",
        (("personal", "Personalavdelningen"),),
    ),
    OrgSpec(
        "forening",
        "Föreningen Unga i Bergslagen (fiktiv)",
        OrganisationKind.ASSOCIATION,
        "2061",
        (("styrelse", "Styrelsen"),),
    ),
)

METHODS: tuple[tuple[str, str, str], ...] = (
    (
        "gnesta",
        "Gnestamodellen",
        "Arbetsträning och praktik med stöd av handledare ute på arbetsplatser, utifrån individens mål.",
    ),
    (
        "2cs",
        "Second Chance School",
        "Arbetsplatsförlagd individuell yrkesutbildning kombinerad med livskunskap (2CS).",
    ),
    ("act", "ACT", "Acceptance and Commitment Training: att hantera oro och stress och göra val efter egna värden."),
    (
        "ips",
        "Supported Employment (IPS)",
        "Individanpassat stöd till arbete: först placering på en riktig arbetsplats, sedan träning och stöd.",
    ),
    ("mi", "Motiverande samtal (MI)", "Samtalsmetod som stärker personens egen motivation till förändring."),
)


@dataclass(frozen=True)
class ProjectSpec:
    key: str
    name: str
    description: str
    starts_on: dt.date
    ends_on: dt.date | None
    target: int | None
    organisations: tuple[str, ...]
    methods: tuple[str, ...]


PROJECTS: tuple[ProjectSpec, ...] = (
    ProjectSpec(
        "vbu",
        "VBU insatser för ungdomar",
        "Tidig upptäckt av avhopp från gymnasiet och snabb tillgång till stöd i Ludvika och Smedjebacken.",
        dt.date(2012, 1, 1),
        dt.date(2014, 12, 31),
        None,
        ("ludvika", "smedjebacken", "af", "fk", "polis", "finsam", "vbu"),
        ("mi",),
    ),
    ProjectSpec(
        "redonu",
        "#redonu",
        "Uppsökande arbete och stöd till arbete eller studier för unga vuxna 20–29 år (ESF+).",
        dt.date(2024, 1, 1),
        dt.date(2027, 12, 31),
        300,
        ("leksand", "rattvik", "malung", "alvdalen", "region"),
        ("gnesta", "2cs", "act", "ips"),
    ),
    ProjectSpec(
        "kaa",
        "KAA Ludvika",
        "Det kommunala aktivitetsansvaret för unga under 20 år som inte går i gymnasieskolan.",
        dt.date(2015, 7, 1),
        None,
        None,
        ("ludvika", "vbu"),
        ("mi",),
    ),
    ProjectSpec(
        "2cs",
        "Second Chance School Västerbergslagen",
        "Arbetsplatsförlagd utbildning med livskunskap för unga i Ludvika och Smedjebacken.",
        dt.date(2023, 1, 1),
        None,
        None,
        ("ludvika", "smedjebacken", "af", "vbu", "verkstad"),
        ("2cs",),
    ),
    ProjectSpec(
        "vvv",
        "Våga Välja Väg",
        "Hälsa, föreningsliv och övergången från skola till arbete för unga i Flen.",
        dt.date(2009, 1, 1),
        dt.date(2009, 12, 31),
        None,
        ("flen",),
        (),
    ),
    ProjectSpec(
        "rehab",
        "Rehabiliteringsstöd i utveckling",
        "Kartläggning, praktik och sociala träningsplatser för personer 18–35 år i Ludvika.",
        dt.date(2008, 1, 1),
        dt.date(2009, 12, 31),
        120,
        ("ludvika", "af", "fk", "finsam"),
        ("ips",),
    ),
    ProjectSpec(
        "unga",
        "Arbetsmarknadsinsatser för unga",
        "Kommunens ordinarie stöd till unga 16–29 år som varken arbetar eller studerar.",
        dt.date(2020, 1, 1),
        None,
        None,
        ("ludvika", "smedjebacken", "leksand", "rattvik", "malung", "alvdalen", "flen"),
        ("ips", "mi", "gnesta"),
    ),
)


@dataclass(frozen=True)
class UserSpec:
    username: str
    first_name: str
    last_name: str
    role: str
    unit: str | None
    project_roles: tuple[tuple[str, str], ...] = ()  # (project key, role)


DEMO_USERS: tuple[UserSpec, ...] = (
    UserSpec("coach.ludvika", "Anna", "Berg", Role.COACH, "ludvika.ame"),
    UserSpec("coach.smedjebacken", "Jonas", "Ek", Role.COACH, "smedjebacken.ame"),
    # #redonu's coaches: each municipality tries its own method, so the project leader's
    # cohort view can compare them (see vagval.demo.activity).
    UserSpec("coach.leksand", "Lena", "Norberg", Role.COACH, "leksand.ame"),
    UserSpec("coach.rattvik", "Samir", "Lundqvist", Role.COACH, "rattvik.ame"),
    UserSpec("coach.malung", "Ida", "Backman", Role.COACH, "malung.ame"),
    UserSpec("coach.alvdalen", "Oskar", "Hed", Role.COACH, "alvdalen.ame"),
    UserSpec("kaa.ludvika", "Maria", "Holm", Role.KAA, "ludvika.kaa"),
    UserSpec("af.ludvika", "Erik", "Sjö", Role.PARTNER, "af.ludvika"),
    UserSpec("ledare", "Karin", "Dahl", Role.PROJECT_LEADER, "region.utveckling", (("redonu", Role.PROJECT_LEADER),)),
    UserSpec("utvardare", "Per", "Strand", Role.EVALUATOR, "region.fou", (("redonu", Role.EVALUATOR),)),
    UserSpec("admin", "Demo", "Administratör", Role.ADMIN, None),
    # The data-protection officer (issue 14): register extracts and legal holds; two-factor like admin.
    UserSpec("dataskydd", "Sara", "Lind", Role.DATA_PROTECTION, "ludvika.ame"),
)
DEMO_USERNAMES = tuple(spec.username for spec in DEMO_USERS)


@dataclass
class DemoWorld:
    organisations: dict[str, Organisation] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    methods: dict[str, Method] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    import_user: User | None = None


def build_world(*, password: str) -> DemoWorld:
    """Create (or find) every demo organisation, unit, project, method and user."""
    world = DemoWorld()
    with transaction.atomic():
        municipalities = {m.code: m for m in Municipality.objects.all()}
        for spec in ORGANISATIONS:
            organisation, _created = Organisation.objects.get_or_create(
                name=spec.name,
                defaults={
                    "kind": spec.kind,
                    "municipality": municipalities.get(spec.municipality_code or ""),
                },
            )
            world.organisations[spec.key] = organisation
            for unit_key, unit_name in spec.units:
                unit, _created = Unit.objects.get_or_create(organisation=organisation, name=unit_name)
                world.units[f"{spec.key}.{unit_key}"] = unit
        for key, name, description in METHODS:
            world.methods[key], _created = Method.objects.get_or_create(
                name=name, defaults={"description": description}
            )
        for project_spec in PROJECTS:
            project, created = Project.objects.get_or_create(
                name=project_spec.name,
                defaults={
                    "description": project_spec.description,
                    "starts_on": project_spec.starts_on,
                    "ends_on": project_spec.ends_on,
                    "target_participants": project_spec.target,
                },
            )
            if created:
                project.organisations.set([world.organisations[k] for k in project_spec.organisations])
                project.methods.set([world.methods[k] for k in project_spec.methods])
            world.projects[project_spec.key] = project
    # Users are created through the accounts service (each in its own transaction).
    ctx = system_context(SystemActor.DEMO)
    for user_spec in DEMO_USERS:
        user = User.objects.filter(username=user_spec.username).first()
        if user is None:
            user = user_create(
                ctx=ctx,
                data=UserData(
                    username=user_spec.username,
                    first_name=user_spec.first_name,
                    last_name=user_spec.last_name,
                    email=f"{user_spec.username}@example.com",
                    unit=world.units[user_spec.unit] if user_spec.unit else None,
                    role=user_spec.role,
                ),
                password=password,
            )
        elif user.is_active and not user.check_password(password):
            # Keep the printed password true when DEMO_PASSWORD changed since the last run.
            user_set_password(ctx=ctx, user=user, password=password)
        for project_key, role in user_spec.project_roles:
            ProjectRole.objects.get_or_create(user=user, project=world.projects[project_key], role=role)
        world.users[user_spec.username] = user
    world.import_user = User.objects.filter(username=IMPORT_USERNAME).first() or user_create(
        ctx=ctx,
        data=UserData(
            username=IMPORT_USERNAME,
            first_name="Demodata",
            last_name="(import)",
            role=Role.ADMIN,
            is_active=False,
        ),
        password=secrets.token_urlsafe(24),
    )
    return world


def municipality_organisation_name(municipality_name: str) -> str:
    """'Ludvika' -> 'Ludvika kommun', 'Flen' -> 'Flens kommun' (Swedish genitive, simplified)."""
    special = {"Falun": "Falu kommun", "Stockholm": "Stockholms stad", "Göteborg": "Göteborgs stad"}
    if municipality_name in special:
        return special[municipality_name]
    if municipality_name[-1] in "aeiouyåäösxz":
        return f"{municipality_name} kommun"
    return f"{municipality_name}s kommun"


def ensure_national_units() -> list[tuple[Unit, Municipality]]:
    """An arbetsmarknadsenhet in every municipality: used only for national-scale data sets.

    Municipalities of the demo world keep their own unit. Idempotent.
    """
    result: list[tuple[Unit, Municipality]] = []
    with transaction.atomic():
        for municipality in Municipality.objects.order_by("code"):
            organisation = (
                Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, municipality=municipality)
                .order_by("created_at")
                .first()
            )
            if organisation is None:
                organisation, _created = Organisation.objects.get_or_create(
                    name=municipality_organisation_name(municipality.name),
                    defaults={"kind": OrganisationKind.MUNICIPALITY, "municipality": municipality},
                )
            unit, _created = Unit.objects.get_or_create(organisation=organisation, name="Arbetsmarknadsenheten")
            result.append((unit, municipality))
    return result
