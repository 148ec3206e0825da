"""The demo accounts (listed in the README), all with the password DEMO_PASSWORD, and their
roles in the co-operatives. A real install starts without people: `create-admin` makes the
first administrator, who invites the coordinators."""
from ..initiatives.demo import by_slug
from .models import Membership, Person
from .services import hash_password

DEMO_PASSWORD = "peerm-demo"
# (e-mail, display name, administrator?, [(co-operative, role), …]).
DEMO_PEOPLE = [
    ("beheer@peerm.example", "Sanne", True, []),
    ("fatima@peerm.example", "Fatima", False, [("lucas-community", "coordinator")]),
    ("jan@peerm.example", "Jan", False, [("talent-in-actie", "coordinator")]),
    ("peter@peerm.example", "Peter", False, [("duurzaam-soesterkwartier", "coordinator")]),
    ("kees@peerm.example", "Kees", False, [("lucas-community", "volunteer"),
                                          ("duurzaam-soesterkwartier", "volunteer")]),
    ("anouk@peerm.example", "Anouk", False, [("talent-in-actie", "volunteer")]),
    ("mohammed@peerm.example", "Mohammed", False, [("lucas-community", "member")]),
    ("els@peerm.example", "Els", False, [("duurzaam-soesterkwartier", "member"),
                                        ("talent-in-actie", "member")]),
]
# Skills some demo members share with their coordinators ("someone knows someone").
DEMO_SKILLS = {
    "mohammed@peerm.example": "boekhouding, kwaliteitszorg HKZ, fietsen repareren",
    "kees@peerm.example": "websites bouwen, multimedia, koken voor groepen",
}


def load():
    """Add the demo accounts that are missing. One hash serves them all: hashing is slow."""
    initiatives = by_slug()
    demo_hash = None
    added = 0
    for email, name, admin, memberships in DEMO_PEOPLE:
        if Person.get_or_none(Person.email == email):
            continue
        demo_hash = demo_hash or hash_password(DEMO_PASSWORD)
        person = Person.create(email=email, display_name=name, is_admin=admin,
                               password_hash=demo_hash, skills=DEMO_SKILLS.get(email, ""))
        for slug, role in memberships:
            Membership.create(person=person, initiative=initiatives[slug], role=role)
        added += 1
    return {"people": added}
