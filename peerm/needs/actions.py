"""The needs' action of the outbox protocol: "I can help" (`need.respond`), the same whether
the form is sent online or the phone sends it later."""
from flask_babel import gettext as _

from ..outbox.protocol import Actions, Result
from . import services

ACTIONS = Actions()


@ACTIONS.handles("need.respond")
def apply_respond(data, at, person, action_id=None):
    pledge = services.respond(data.get("need"), data.get("offer"), data.get("amount"),
                              data.get("name", ""), data.get("contact", ""), person=person,
                              action_id=action_id, now=at)
    message = _("Thank you, %(name)s! %(initiative)s has your answer and will contact you.",
                name=pledge.name, initiative=pledge.need.initiative.name)
    return Result("applied", "pledged", message, str(pledge.id))
