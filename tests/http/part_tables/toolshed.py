"""The tool library's routes."""
import datetime as dt

from peerm.toolshed.models import Hold, LendingRules, Loan, RulesAcceptance, Tool

from . import COORDINATORS, LOGGED_IN, LUCAS_MEMBERS, WORKERS

ROUTE_ARGUMENTS = {
    "toolshed.detail": lambda world: {"tool_id": world["tool_id"]},
    "toolshed.qr": lambda world: {"tool_id": world["tool_id"]},
    "toolshed.counter": lambda world: {"slug": world["slug"]},
    "toolshed.manage": lambda world: {"slug": world["slug"]},
    "toolshed.rules": lambda world: {"slug": world["slug"]},
    "toolshed.labels": lambda world: {"slug": world["slug"]},
    "toolshed.reserve_page": lambda world: {"tool_id": world["tool_id"]},
}
LOGGED_IN_ONLY = {"toolshed.mine", "toolshed.counter", "toolshed.manage", "toolshed.labels"}
NOT_HTML = {"toolshed.qr": "image/svg+xml"}
# The reserve form's address opened as a page goes on to the tool's page.
NOT_FILLED = {"toolshed.reserve_page": 303}
MATRIX = {
    "toolshed.reserve": (LUCAS_MEMBERS, {"tool": "{free_tool}"}),
    "toolshed.renew": ({"member"}, {}),
    "toolshed.cancel_hold": ({"member"}, {}),
    "toolshed.lend": (WORKERS, {"tool": "{free_code}", "borrower": "{mohammed}",
                                "rules": "1"}),
    "toolshed.take_back": (WORKERS, {"tool": "{lent_code}"}),
    "toolshed.add_tool": (COORDINATORS, {"name": "Zaag", "category": "{category}"}),
    "toolshed.add_category": (COORDINATORS, {"name": "Keuken", "loan_days": "7"}),
    "toolshed.maintain": (COORDINATORS, {"note": "stuk"}),
    "toolshed.resolve": (COORDINATORS, {"note": "opgelost"}),
    "toolshed.publish_rules": (COORDINATORS, {"text_nl": "Nieuwe regels"}),
    "toolshed.accept_rules": (LOGGED_IN, {}),
}


def walk_world(base):
    return {"tool_id": Tool.select().where(Tool.initiative == base["initiative"]).first().id}


def permission_world(person, lucas, now):
    tools = list(Tool.select().where(Tool.initiative == lucas).order_by(Tool.id))
    lent, free, held = tools[0], tools[1], tools[2]
    RulesAcceptance.create(person=person["member"], rules=LendingRules.current(lucas))
    loan = Loan.create(tool=lent, borrower=person["member"], lent_at=now,
                       due=now.date() + dt.timedelta(days=2))
    lent.status = "on_loan"
    lent.save()
    hold = Hold.create(tool=held, person=person["member"])
    values = {"tool_id": held.id, "what": "repair", "loan_id": loan.id, "hold_id": hold.id}
    form = {"free_tool": str(free.id), "free_code": free.code, "lent_code": lent.code,
            "mohammed": str(person["member"].id), "category": str(free.category_id)}
    return values, form
