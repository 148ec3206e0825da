"""Accounts' routes."""
from peerm.accounts import services
from peerm.accounts.models import Membership

from . import COORDINATORS, EVERYONE, LOGGED_IN

ROUTE_ARGUMENTS = {
    "accounts.members": lambda world: {"slug": world["slug"]},
    "accounts.confirm_remove": lambda world: {"slug": world["slug"],
                                              "membership_id": world["membership_id"]},
    "accounts.show_link": lambda world: {"slug": world["slug"],
                                         "invite_id": world["invite_id"]},
    "accounts.confirm_revoke": lambda world: {"slug": world["slug"],
                                              "invite_id": world["invite_id"]},
    "accounts.invite": lambda world: {"token": world["invite"]},
    "accounts.reset": lambda world: {"token": world["reset"]},
}
LOGGED_IN_ONLY = {"accounts.account", "accounts.export", "accounts.delete", "accounts.members",
                  "accounts.confirm_remove", "accounts.show_link", "accounts.confirm_revoke"}
NOT_HTML = {"accounts.export": "application/json"}
MATRIX = {
    "accounts.login": (EVERYONE, {"email": "nobody@peerm.example", "password": "x"}),
    "accounts.logout": (EVERYONE, {}),
    "accounts.end_sessions": (LOGGED_IN, {}),
    "accounts.account": (LOGGED_IN, {"display_name": "Naam", "phone": "", "language": "nl"}),
    "accounts.delete": (LOGGED_IN, {"password": "not-the-password"}),
    "accounts.invite": (EVERYONE, {"display_name": "Nieuw", "email": "x@peerm.example",
                                   "password": "lang-genoeg-wachtwoord"}),
    "accounts.reset": (EVERYONE, {"password": "lang-genoeg-wachtwoord"}),
    "accounts.change_role": (COORDINATORS, {"role": "volunteer"}),
    "accounts.remove_member": (COORDINATORS, {}),
    "accounts.create_invite": (COORDINATORS, {"role": "member"}),
    "accounts.create_reset": (COORDINATORS, {}),
    "accounts.revoke_invite": (COORDINATORS, {}),
}


def walk_world(base):
    """An invite and a reset link, made just now, in the walk's co-operative."""
    initiative = base["initiative"]
    member = Membership.select().where(Membership.initiative == initiative).first()
    invitation, invite = services.create_invite(initiative, "member", base["admin"])
    _, reset = services.create_reset(member.person, base["admin"])
    return {"invite": invite, "reset": reset, "membership_id": member.id,
            "invite_id": invitation.id}


def permission_world(person, lucas, now):
    membership = Membership.get(person=person["member"], initiative=lucas)
    invitation, _ = services.create_invite(lucas, "member", person["coordinator"])
    return {"membership_id": membership.id, "invite_id": invitation.id}, {}

