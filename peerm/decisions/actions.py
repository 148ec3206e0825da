"""The decisions action of the outbox protocol: `vote.cast`, which works offline. A ballot
cast before the close counts when it arrives within the grace period."""
from flask_babel import gettext as _

from ..outbox.protocol import Actions, Result
from . import services

ACTIONS = Actions()


@ACTIONS.handles("vote.cast", needs_person=True)
def apply_vote(data, at, person, action_id=None):
    proposal = services.find_proposal(data.get("proposal"), lock=True)
    outcome, ballot = services.cast_ballot(proposal, person, data.get("choice"),
                                           data.get("reason", ""), at=at)
    if outcome == "changed":
        message = _("Your vote is changed. Only your latest vote counts.")
    else:
        message = _("Your vote is counted.")
    if ballot.late:
        message += " " + _("It arrived after the close, but you cast it in time.")
    return Result("applied", outcome, message, str(proposal.id))
