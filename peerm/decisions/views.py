"""The pages of decisions: the list (open first, then closed with their outcome), writing and
editing a proposal, a proposal with its discussion and ballot form, and the coordinators' paper
ballots. The ballot form may be sent offline: online it posts the same `vote.cast` action the
phone would queue, through the outbox protocol."""
import datetime as dt

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from ..accounts.models import Person
from ..accounts.session import current_person
from ..core import clock
from ..core.db import write_transaction
from ..core.validation import whole_number
from ..initiatives.models import Initiative
from ..outbox.forms import answer, form_action
from ..outbox.protocol import apply
from ..permissions import (
    can,
    managed_initiatives,
    may_edit_proposal,
    may_manage_proposal,
    may_propose,
    may_see_proposal,
)
from ..web import logged_in, one_or_404, render, wants_partial
from . import services
from .models import (
    CLOSED_PHASES,
    EDITABLE_PHASES,
    MAJORITIES,
    Ballot,
    DecisionSettings,
    Option,
    Proposal,
    Voter,
)
from .services import DecisionError

bp = Blueprint("decisions", __name__, url_prefix="/decisions")
# What a new proposal's form starts with.
DEFAULTS = {"quorum_percent": "50", "majority": "half", "discussion_days": "7",
            "grace_hours": str(services.DEFAULT_GRACE_HOURS), "options": "standard"}
# A new proposal closes this many days after its discussion, unless the proposer says else.
DEFAULT_VOTING_DAYS = 7
NETWORK = "network"


def _visible_proposal(proposal_id):
    """The proposal, for someone who may see it (else 404; log in first)."""
    person = logged_in()
    proposal = (Proposal.get_or_none(Proposal.id == proposal_id)
                if whole_number(proposal_id) is not None else None)
    if proposal is None or not may_see_proposal(person, proposal):
        abort(404)
    return person, proposal


def _initiative_ids(person):
    if person.is_admin:
        return [i.id for i in Initiative.select(Initiative.id)]
    return [m.initiative_id for m in person.memberships]


@bp.get("")
def index():
    """Open proposals first (time left, how many voted), then closed ones with their outcome,
    of the person's co-operatives and of the network; drafts and proposals awaiting approval
    for those who work on them."""
    person = logged_in()
    now = clock.now()
    ids = _initiative_ids(person)
    member_of_any = bool(ids)
    rows = [p for p in Proposal.listed(ids, include_network=member_of_any or person.is_admin)
            if may_see_proposal(person, p)]
    open_rows = [_summary(p, person, now) for p in rows if p.phase(now) not in CLOSED_PHASES]
    closed = [_summary(p, person, now) for p in rows if p.phase(now) in CLOSED_PHASES]
    closed.sort(key=lambda row: row["proposal"].closes_at, reverse=True)
    pending = [p for p in Proposal.select().where(Proposal.status.in_(["draft", "awaiting"]))
               .order_by(Proposal.created_at.desc())
               if (p.author_id == person.id or may_manage_proposal(person, p))
               and may_see_proposal(person, p)]
    settings = [(i, DecisionSettings.requires_approval(i)) for i in managed_initiatives(person)]
    return render("decisions/index.html", open_rows=open_rows, closed=closed, pending=pending,
                  settings=settings, may_propose=bool(_proposable(person)), now=now)


def _summary(proposal, person, now):
    phase = proposal.phase(now)
    row = {"proposal": proposal, "phase": phase,
           "electorate": services.electorate_size(proposal, now),
           "voted": services.voted_count(proposal),
           "has_voted": services.has_voted(proposal, person)}
    if phase in CLOSED_PHASES:
        row["figures"] = services.figures(proposal, now)
    return row


def _proposable(person):
    """(value, name) of where this person may propose: their co-operatives, and the network
    for an administrator."""
    choices = [(i.slug, i.name) for i in Initiative.listed() if may_propose(person, i)]
    if may_propose(person, None):
        choices.append((NETWORK, _("The whole network")))
    return choices


def _form_values(source):
    keys = ("title_nl", "title_en", "text_nl", "text_en", "quorum_percent", "majority",
            "discussion_days", "closes_at", "grace_hours", "options", "own_options", "secret",
            "initiative")
    return {key: source.get(key, "") for key in keys}


def _proposal_values(proposal):
    options = proposal.options_in_order()
    own = any(o.kind == "own" for o in options)
    return {"title_nl": proposal.title_nl, "title_en": proposal.title_en,
            "text_nl": proposal.text_nl, "text_en": proposal.text_en,
            "quorum_percent": str(proposal.quorum_percent), "majority": proposal.majority,
            "discussion_days": str(proposal.discussion_days),
            "closes_at": clock.local(proposal.closes_at).strftime("%Y-%m-%dT%H:%M"),
            "grace_hours": str(proposal.grace_hours),
            "options": "own" if own else "standard",
            "own_options": "\n".join(o.label_nl for o in options) if own else "",
            "secret": "1" if proposal.secret else ""}


def _render_form(template, values, status=200, error=None, **context):
    return render(template, values=values, error=error, majorities=MAJORITIES, status=status,
                  **context)


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Write a proposal for one of the person's co-operatives (or the network); it is kept as
    a draft until its author publishes it."""
    person = logged_in()
    choices = _proposable(person)
    if not choices:
        abort(403)
    if request.method == "GET":
        closes = clock.local_now().replace(hour=20, minute=0, second=0) + _days(
            int(DEFAULTS["discussion_days"]) + DEFAULT_VOTING_DAYS)
        values = {**DEFAULTS, "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
                  "initiative": choices[0][0]}
        return _render_form("decisions/new.html", values, choices=choices)
    values = _form_values(request.form)
    slug = values["initiative"]
    if slug not in {value for value, _name in choices}:
        return _render_form("decisions/new.html", values, 400,
                            _("Choose a co-operative you belong to."), choices=choices)
    initiative = None if slug == NETWORK else Initiative.get(Initiative.slug == slug)
    try:
        with write_transaction():
            proposal = services.create_proposal(person, initiative, request.form)
    except DecisionError as error:
        return _render_form("decisions/new.html", values, 400, error.message, choices=choices)
    flash(_("Your proposal is saved as a draft. Read it once more, then publish it."))
    return redirect(url_for("decisions.detail", proposal_id=proposal.id), 303)


def _days(n):
    return dt.timedelta(days=n)


@bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"])
def edit(proposal_id):
    """Change a proposal's text and rules, until voting opens."""
    person, proposal = _visible_proposal(proposal_id)
    if not may_edit_proposal(person, proposal):
        abort(403)
    frozen = proposal.phase() not in EDITABLE_PHASES
    if request.method == "GET":
        return _render_form("decisions/edit.html", _proposal_values(proposal),
                            proposal=proposal, frozen=frozen)
    values = _form_values(request.form)
    try:
        with write_transaction():
            services.update_proposal(proposal, request.form)
    except DecisionError as error:
        return _render_form("decisions/edit.html", values, 400, error.message,
                            proposal=proposal, frozen=error.code == "frozen")
    flash(_("The proposal is changed."))
    return redirect(url_for("decisions.detail", proposal_id=proposal.id), 303)


@bp.get("/<int:proposal_id>")
def detail(proposal_id):
    """A proposal: its text, the discussion, the ballot form, your ballot, the quorum so far,
    and the outcome once it is closed."""
    person, proposal = _visible_proposal(proposal_id)
    return render("decisions/detail.html", **_detail_context(person, proposal))


def _detail_context(person, proposal):
    now = clock.now()
    phase = proposal.phase(now)
    voted = services.voted_count(proposal)
    electorate = services.electorate_size(proposal, now)
    needed = -(-proposal.quorum_percent * electorate // 100)
    return {
        "proposal": proposal, "phase": phase, "now": now,
        "options": proposal.options_in_order(),
        "comments": list(services.Comment.of(proposal)),
        "electorate": electorate, "voted": voted, "needed": needed,
        "who_voted": services.who_voted(proposal),
        "may_vote": services.may_vote(person, proposal, now),
        "has_voted": services.has_voted(proposal, person),
        "own_ballot": services.own_ballot(proposal, person),
        "figures": services.figures(proposal, now) if phase in CLOSED_PHASES else None,
        "may_edit": may_edit_proposal(person, proposal) and phase in EDITABLE_PHASES,
        "may_manage": may_manage_proposal(person, proposal),
        "may_publish": proposal.status == "draft" and may_edit_proposal(person, proposal),
        "named_ballots": _named_ballots(proposal) if phase in CLOSED_PHASES else [],
    }


def _named_ballots(proposal):
    """Who voted what, for an open ballot once it has closed."""
    if proposal.secret:
        return []
    rows = (Ballot.select(Ballot, Person, Option).join(Person).switch(Ballot).join(Option)
            .where(Ballot.proposal == proposal).order_by(Person.display_name))
    return [(b.person.display_name, b.option.label, b.reason) for b in rows]


@bp.post("/<int:proposal_id>/publish")
def publish(proposal_id):
    """Put a draft before the members (or before a coordinator, when approval is needed)."""
    person, proposal = _visible_proposal(proposal_id)
    if not may_edit_proposal(person, proposal):
        abort(403)
    return _change(proposal, lambda: services.publish(proposal, person),
                   lambda p: _("The proposal is published.") if p.status == "open"
                   else _("The proposal waits for a coordinator's approval."))


@bp.post("/<int:proposal_id>/approve")
def approve(proposal_id):
    """A coordinator approves a proposal: its discussion begins."""
    person, proposal = _visible_proposal(proposal_id)
    if not may_manage_proposal(person, proposal):
        abort(403)
    return _change(proposal, lambda: services.approve(proposal, person),
                   lambda p: _("The proposal is approved: the discussion begins."))


def _change(proposal, work, message):
    """Run a change; a refusal is a 400 with its message, nothing changed."""
    try:
        with write_transaction():
            changed = work()
    except DecisionError as error:
        return _refused(error, url_for("decisions.detail", proposal_id=proposal.id))
    flash(message(changed))
    return redirect(url_for("decisions.detail", proposal_id=proposal.id), 303)


def _refused(error, back):
    """A refused form: its message where the result goes (htmx), or on the page, with 400."""
    if wants_partial():
        return render("decisions/_message.html", message=error.message, code=error.code,
                      status=400)
    return render("decisions/refused.html", message=error.message, code=error.code, back=back,
                  status=400)


@bp.post("/<int:proposal_id>/vote")
def vote(proposal_id):
    """Cast or change a ballot (the same action the phone sends when it was offline)."""
    person = current_person()
    if person is None:
        return redirect(url_for("accounts.login", next=url_for(
            "decisions.detail", proposal_id=proposal_id)), 303)
    data = {"proposal": proposal_id, "choice": request.form.get("choice", ""),
            "reason": request.form.get("reason", "")}
    result = apply(form_action("vote.cast", data), person)
    if not wants_partial() and result.status == "rejected":
        proposal = Proposal.get_or_none(Proposal.id == proposal_id)
        if proposal is not None and may_see_proposal(person, proposal):
            flash(result.message, "error")
            return render("decisions/detail.html", status=400,
                          **_detail_context(person, proposal))
    if wants_partial() and result.status in ("applied", "duplicate"):
        # The result, and the page's "your vote" and turnout as they are now.
        proposal = Proposal.get_by_id(proposal_id)
        response = render("decisions/_voted.html", result=result,
                          **_detail_context(person, proposal))
        response.headers["Cache-Control"] = "no-store"
        return response
    response = answer(result, url_for("decisions.detail", proposal_id=proposal_id))
    if wants_partial() and result.status == "rejected":
        response.status_code = 400
    return response


@bp.post("/<int:proposal_id>/comments")
def comment(proposal_id):
    """Add to the discussion."""
    person, proposal = _visible_proposal(proposal_id)
    return _change(proposal, lambda: services.add_comment(proposal, person,
                                                          request.form.get("body", "")),
                   lambda c: _("Your message is added to the discussion."))


@bp.route("/<int:proposal_id>/paper", methods=["GET", "POST"])
def paper(proposal_id):
    """A coordinator enters the paper ballot of a member without a phone."""
    person, proposal = _visible_proposal(proposal_id)
    if not may_manage_proposal(person, proposal):
        abort(403)
    error = None
    if request.method == "POST":
        voter_id = whole_number(request.form.get("voter"))
        voter = Person.get_or_none(Person.id == voter_id) if voter_id is not None else None
        try:
            if voter is None:
                raise DecisionError(_("Choose the member whose paper ballot this is."),
                                    "voter_missing")
            with write_transaction():
                outcome, _ballot = services.cast_ballot(
                    proposal, voter, request.form.get("choice", ""),
                    request.form.get("reason", ""), paper=True)
        except DecisionError as error_:
            error = error_.message
        else:
            flash(_("The paper ballot of %(name)s is counted.", name=voter.display_name)
                  if outcome == "counted" else
                  _("The paper ballot of %(name)s replaces their earlier vote.",
                    name=voter.display_name))
            return redirect(url_for("decisions.paper", proposal_id=proposal.id), 303)
    voters = list(Voter.select(Voter, Person).join(Person)
                  .where(Voter.proposal == proposal).order_by(Person.display_name))
    if not voters and proposal.electorate_fixed_at is None:
        people = services.eligible_people(proposal, min(clock.now(), proposal.voting_opens_at
                                                         or clock.now()))
        voters = [Voter(person=p, has_voted=False)
                  for p in Person.select().where(Person.id.in_(people or [0]))
                  .order_by(Person.display_name)]
    return render("decisions/paper.html", proposal=proposal, voters=voters,
                  options=proposal.options_in_order(), phase=proposal.phase(), error=error,
                  status=400 if error else 200)


@bp.post("/settings/<slug>")
def settings(slug):
    """Whether a co-operative's coordinators approve proposals before they are discussed."""
    person = logged_in()
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    if not can(person, "decisions.manage", initiative):
        abort(403)
    with write_transaction():
        row = services.set_requires_approval(initiative, request.form.get("require_approval")
                                             == "1")
    flash(_("Proposals of %(name)s now need a coordinator's approval.", name=initiative.name)
          if row.require_approval else
          _("Proposals of %(name)s no longer need approval.", name=initiative.name))
    return redirect(url_for("decisions.index"), 303)


@bp.context_processor
def _words():
    """What the decisions templates use to say times and results."""
    return {"time_left": services.time_left, "results": services.RESULTS}
