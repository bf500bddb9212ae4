"""A demo consultation for `make run`: a roundtable on water security, in three languages.

Loaded once (when its space does not exist yet) through the same actions the
API uses, so it writes its events like any other change.
"""

from dataclasses import dataclass

from server.access.identity import Viewer
from server.actions import accounts, comments, questions, spaces
from server.queries import spaces as space_queries
from server.queries import users as user_queries
from server.queries.users import UserRow
from server.running.services import Services
from server.schemas.accounts import RegisterBody
from server.schemas.comments import CommentCreate
from server.schemas.questions import QuestionCreate
from server.schemas.spaces import SpaceCreate

DEMO_SLUG = "water-roundtable"
DEMO_PASSWORD = "roundtable-demo"
ADMIN_EMAIL = "admin@roundtable.example.org"

INTRO = """\
Ministers will meet at a roundtable on **water security and climate resilience**
in the spring. Before they do, this online consultation gathers the views of
governments, civil society, academia and the private sector.

Droughts and floods are becoming more frequent and more severe. Countries that
share rivers and aquifers depend on each other's choices, and the people most
exposed (smallholder farmers, informal settlements, displaced communities) are
often the least heard when water is allocated.

Please respond to the three discussion questions below, or pose your own
questions to the moderators and other participants. Contributions in English,
French and Spanish are welcome. A short background note drawing on this
discussion will be shared with the roundtable's participants.
"""

QUESTIONS = [
    (
        "What policies have helped communities prepare for droughts and floods?",
        "Share examples from your country or organisation: early warning, storage, insurance, "
        "land use. What made them work, and for whom?",
    ),
    (
        "How can countries that share rivers and aquifers cooperate better?",
        "Think of data sharing, joint bodies, dispute resolution and financing.",
    ),
    (
        "How should the voices of those most affected shape water decisions?",
        "Who is missing from the table today, and what would bring them to it?",
    ),
]


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    affiliation: str
    language: str


MODERATORS = [
    Person("amina.diallo@roundtable.example.org", "Amina Diallo", "Roundtable secretariat", "fr"),
    Person("lucas.moreno@roundtable.example.org", "Lucas Moreno", "Roundtable secretariat", "es"),
]
PARTICIPANTS = [
    Person("sarah.okafor@example.org", "Sarah Okafor", "Ministry of Water, Nigeria", "en"),
    Person("jean.martin@example.org", "Jean Martin", "Réseau Eau Solidaire", "fr"),
    Person("maria.gonzalez@example.org", "María González", "Universidad de Chile", "es"),
    Person("tom.becker@example.org", "Tom Becker", "Rhine Basin Council", "en"),
    Person("priya.raman@example.org", "Priya Raman", "Smallholder Farmers Alliance", "en"),
    Person("ali.hassan@example.org", "Ali Hassan", "Youth for Water", "en"),
]

# (author index, question number, reply-to index or None, language, text)
COMMENTS: list[tuple[int, int, int | None, str, str]] = [
    (
        0,
        1,
        None,
        "en",
        "Our national drought early-warning system now sends SMS alerts to "
        "farmers two weeks ahead. Uptake doubled once alerts came in local languages.",
    ),
    (
        1,
        1,
        0,
        "fr",
        "Très intéressant. Comment avez-vous financé le système d'alerte ? "
        "Chez nous, le coût des SMS reste un obstacle.",
    ),
    (
        0,
        1,
        1,
        "en",
        "A partnership with mobile operators: messages are free for registered "
        "farmers, and the ministry covers the rest.",
    ),
    (
        4,
        1,
        2,
        "en",
        "@sarah_okafor did women farmers register as often as men? In our "
        "experience phones are often in the husband's name.",
    ),
    (
        2,
        1,
        None,
        "es",
        "En Chile, los seguros agrícolas indexados al clima han ayudado, "
        "pero llegan poco a los pequeños productores.",
    ),
    (
        3,
        2,
        None,
        "en",
        "Shared monitoring data is the foundation. On the Rhine, agreeing on "
        "*one* set of gauges took years, but every later decision rested on it.",
    ),
    (2, 2, 5, "es", "¿Cómo resolvieron las diferencias en los métodos de medición entre países?"),
    (
        3,
        2,
        6,
        "en",
        "A joint technical committee, and a rule that raw data is published before anyone interprets it.",
    ),
    (
        1,
        2,
        None,
        "fr",
        "Les organismes de bassin ont besoin d'un financement stable, pas seulement de projets ponctuels.",
    ),
    (
        5,
        3,
        None,
        "en",
        "Young people are rarely consulted, though we will live longest with "
        "these decisions. Youth seats on basin councils would be a start.",
    ),
    (
        4,
        3,
        None,
        "en",
        "Hold consultations where people are: in villages, during market days, "
        "not only in capitals and online.",
    ),
    (
        1,
        3,
        10,
        "fr",
        "Tout à fait d'accord. Et prévoir l'interprétation dans les langues "
        "locales, pas seulement en anglais ou en français.",
    ),
]


async def _account(services: Services, person: Person) -> UserRow:
    found = await user_queries.get_user_by_email(services.pool, person.email)
    if found:
        return found
    return await accounts.register(
        services,
        RegisterBody(
            email=person.email,
            password=DEMO_PASSWORD,
            display_name=person.name,
            affiliation=person.affiliation,
            language=person.language,
        ),
    )


async def load_demo(services: Services) -> bool:
    """Create the demo consultation unless it exists; True when it was created."""
    if await space_queries.get_space_by_slug(services.pool, DEMO_SLUG):
        return False
    admin = Viewer(await accounts.create_admin(services, ADMIN_EMAIL, DEMO_PASSWORD, "Site Admin"))
    await spaces.create_space(
        services,
        admin,
        SpaceCreate(
            slug=DEMO_SLUG,
            title="Roundtable on water security and climate resilience",
            intro=INTRO,
            status="open",
            contact="Questions about this consultation: secretariat@roundtable.example.org",
            disclaimer="Views expressed are those of the participants and do not necessarily "
            "reflect those of the organisers.",
            allow_participant_questions=True,
        ),
    )
    moderators = [await _account(services, p) for p in MODERATORS]
    for moderator in moderators:
        await spaces.change_membership(services, admin, DEMO_SLUG, moderator.id, moderators=True, add=True)
    question_ids = []
    for title, body in QUESTIONS:
        row, _ = await questions.post_question(
            services, Viewer(moderators[0]), DEMO_SLUG, QuestionCreate(title=title, body=body)
        )
        question_ids.append(row.id)
    people = [await _account(services, p) for p in PARTICIPANTS]
    posted: list[int] = []
    for author, number, reply_to, lang, text in COMMENTS:
        comment, _ = await comments.post_comment(
            services,
            Viewer(people[author]),
            question_ids[number - 1],
            CommentCreate(body=text, lang=lang, parent_id=posted[reply_to] if reply_to is not None else None),
        )
        posted.append(comment.id)
    return True


def demo_logins() -> list[tuple[str, str, str]]:
    """(role, email, password) for every demo account."""
    return [
        ("admin", ADMIN_EMAIL, DEMO_PASSWORD),
        *(("moderator", p.email, DEMO_PASSWORD) for p in MODERATORS),
        *(("participant", p.email, DEMO_PASSWORD) for p in PARTICIPANTS),
    ]
