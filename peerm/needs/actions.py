"""The needs' action of the outbox protocol: "I can help" (`need.respond`), the same whether
the form is sent online or the phone sends it later."""
from flask_babel import gettext as _

from ..outbox.protocol import Actions, NeedsLogin, Result
from ..permissions import may_see_need
from . import services

ACTIONS = Actions()


@ACTIONS.handles("need.respond")
def apply_respond(data, at, person, action_id=None):
    need = services.find_need(data.get("need"))
    if not may_see_need(person, need):
        if person is None:
            raise NeedsLogin()  # a co-operative's own need: its members answer, logged in
        raise services.NeedError(_("This need does not exist."), "need_unknown")
    pledge = services.respond(data.get("need"), data.get("offer"), data.get("amount"),
                              data.get("name", ""), data.get("contact", ""), person=person,
                              action_id=action_id, now=at)
    message = _("Thank you, %(name)s! %(initiative)s has your answer and will contact you.",
                name=pledge.name, initiative=pledge.need.initiative.name)
    return Result("applied", "pledged", message, str(pledge.id))
