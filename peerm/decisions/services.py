"""What people do with proposals: write and publish them, discuss them, vote, and count.

Each service runs in the caller's transaction (`write_transaction()`; the sync layer opens one
per action), takes its locks first (the proposal's row) and raises `DecisionError` with a
stable code.

One member, one vote. Who may vote is fixed when voting opens (`fix_electorate`): the people
who were members of the co-operative (of any co-operative, for the network) at the moment
voting opened. No job runs at that moment: the first write that touches the proposal after it
(a ballot, a comment, the daily round) fixes the list, from the memberships that existed at the
opening time, so the list is the same whenever it is written. A second ballot of a voter
replaces the first (`changed`).

The close is a time, not a job: a ballot counts when its `at` (the phone's clock) is before
`closes_at` and it arrives before the grace period ends; every process reads the same clock.

Secret ballots keep who voted apart from what was voted:
- `Voter` rows say who may vote and who has voted; they name no option and carry no time;
- `Ballot` rows of a secret proposal name no person and carry no time; each carries a token,
  HMAC-SHA256 of the proposal and the voter under the app's secret key (which is not in the
  database). The database alone cannot join a ballot to its voter; the server, holding the
  key, finds a voter's ballot again to replace it when they change their mind, and to show
  them their own choice while voting runs;
- once the result is final (`finalise`, the daily round) the tokens are wiped, and from then
  on not even the key links a ballot to anyone;
- the list of who voted is shown only once at least three have (`WHO_VOTED_FROM`), so that
  a first voter cannot be seen in the count of votes.
"""
import datetime as dt
import hashlib
import hmac
import json
from dataclasses import asdict, dataclass, field

from flask import current_app, has_app_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..accounts.models import Membership, Person
from ..core import clock
from ..core.db import locked
from ..core.errors import DomainError
from ..core.validation import text, whole_number, without
from .models import (
    STANDARD_OPTIONS,
    Ballot,
    Comment,
    DecisionSettings,
    Option,
    Proposal,
    Voter,
)

TITLE_MAX = 200
TEXT_MAX = 10_000
OPTION_MAX = 120
REASON_MAX = 1000
COMMENT_MAX = 2000
OWN_OPTIONS_MIN = 2
OWN_OPTIONS_MAX = 6
DISCUSSION_DAYS_MAX = 60
# A proposal votes for at most a year, and the grace period lasts 1 hour to 7 days.
VOTING_MAX = dt.timedelta(days=365)
GRACE_HOURS_MIN = 1
GRACE_HOURS_MAX = 168
DEFAULT_GRACE_HOURS = 24
# Who voted is listed only from this many voters on.
WHO_VOTED_FROM = 3


# What a closed vote decided, in words.
RESULTS = {
    "adopted": _l("Adopted"),
    "rejected": _l("Not adopted"),
    "blocked": _l("Blocked"),
    "chosen": _l("Decided"),
    "no_majority": _l("No option had the majority needed"),
    "no_quorum": _l("Not decided: too few members voted"),
}


class DecisionError(DomainError):
    """A request about a proposal that cannot be done."""


def find_proposal(proposal_id, lock=False):
    """The proposal with this id (locked for the transaction when asked), or an error."""
    number = whole_number(proposal_id)
    proposal = None
    if number is not None:
        query = Proposal.select().where(Proposal.id == number)
        proposal = (locked(query) if lock else query).first()
    if proposal is None:
        raise DecisionError(_("This proposal does not exist."), "proposal_unknown")
    return proposal


# --- writing a proposal ---------------------------------------------------------------------

def _plain(raw, limit, code, missing=None):
    value = text(raw)
    if value is None or "\x00" in value:
        raise DecisionError(_("This text holds characters that cannot be saved."), "text_invalid")
    value = value.strip()
    if missing and not value:
        raise DecisionError(missing, code + "_missing")
    if len(value) > limit:
        raise DecisionError(_("This text is too long: at most %(max)d characters.", max=limit),
                            code + "_too_long")
    return value


def clean_fields(raw, now=None):
    """The fields of a proposal as typed in its form, checked; the options as (kind, nl, en)."""
    now = now or clock.now()
    fields = {
        "title_nl": _plain(raw.get("title_nl"), TITLE_MAX, "title",
                           _("Give the proposal a title in Dutch.")),
        "title_en": _plain(raw.get("title_en"), TITLE_MAX, "title"),
        "text_nl": _plain(raw.get("text_nl"), TEXT_MAX, "text",
                          _("Write what you propose, in Dutch.")),
        "text_en": _plain(raw.get("text_en"), TEXT_MAX, "text"),
        "secret": str(raw.get("secret", "")) in ("1", "on", "true", "yes"),
    }
    quorum = whole_number(raw.get("quorum_percent"), 100)
    if quorum is None:
        raise DecisionError(_("The quorum is a share from 0 to 100 percent."), "quorum_invalid")
    fields["quorum_percent"] = quorum
    majority = raw.get("majority")
    if majority not in ("half", "two_thirds"):
        raise DecisionError(_("Choose the majority needed: more than half, or two thirds."),
                            "majority_invalid")
    fields["majority"] = majority
    days = whole_number(raw.get("discussion_days"), DISCUSSION_DAYS_MAX)
    if days is None:
        raise DecisionError(_("The discussion lasts 0 to %(max)d days.", max=DISCUSSION_DAYS_MAX),
                            "discussion_invalid")
    fields["discussion_days"] = days
    grace = raw.get("grace_hours")
    grace = DEFAULT_GRACE_HOURS if grace in (None, "") else whole_number(grace, GRACE_HOURS_MAX)
    if grace is None or grace < GRACE_HOURS_MIN:
        raise DecisionError(_("Late ballots may arrive %(min)d to %(max)d hours after the close.",
                              min=GRACE_HOURS_MIN, max=GRACE_HOURS_MAX), "grace_invalid")
    fields["grace_hours"] = grace
    fields["closes_at"] = _closing_time(raw.get("closes_at"), now, days)
    fields["options"] = _options(raw)
    return fields


def _closing_time(raw, now, discussion_days):
    """The closing time typed as Dutch wall-clock time, after the discussion and within a year."""
    raw = text(raw)
    try:
        moment = clock.from_local(dt.datetime.fromisoformat((raw or "").strip()))
    except ValueError:
        raise DecisionError(_("Fill in the closing date and time, like 2026-12-01 20:00."),
                            "closes_invalid") from None
    if moment <= now + dt.timedelta(days=discussion_days, hours=1):
        raise DecisionError(_("The voting must close at least an hour after the discussion ends."),
                            "closes_too_soon")
    if moment > now + VOTING_MAX:
        raise DecisionError(_("The voting must close within a year."), "closes_too_late")
    return moment.replace(second=0)


def _options(raw):
    if raw.get("options", "standard") != "own":
        return [(kind, label_nl, label_en) for kind, (label_nl, label_en)
                in STANDARD_OPTIONS.items()]
    lines = (text(raw.get("own_options")) or "").splitlines()
    labels = [" ".join(line.split()) for line in lines if line.strip()]
    if not OWN_OPTIONS_MIN <= len(labels) <= OWN_OPTIONS_MAX:
        raise DecisionError(_("Write %(min)d to %(max)d options of your own, one on each line.",
                              min=OWN_OPTIONS_MIN, max=OWN_OPTIONS_MAX), "options_invalid")
    if any(len(label) > OPTION_MAX or "\x00" in label for label in labels) or (
            len({label.casefold() for label in labels}) != len(labels)):
        raise DecisionError(_("Each option is different and at most %(max)d characters long.",
                              max=OPTION_MAX), "options_invalid")
    return [("own", label, "") for label in labels]


def create_proposal(author, initiative, raw, now=None):
    """A new proposal as a draft, which only its author and the coordinators see."""
    now = now or clock.now()
    fields = clean_fields(raw, now)
    options = fields.pop("options")
    proposal = Proposal.create(initiative=initiative, author=author, created_at=now, **fields)
    _set_options(proposal, options)
    return proposal


def update_proposal(proposal, raw, now=None):
    """Change a proposal's text and rules, until voting opens; after that it is frozen."""
    now = now or clock.now()
    proposal = find_proposal(proposal.id, lock=True)
    if proposal.phase(now) not in ("draft", "awaiting", "discussion"):
        raise DecisionError(_("Voting has opened, so the text cannot change any more. Write a "
                              "new proposal instead."), "frozen")
    fields = clean_fields(raw, now)
    options = fields.pop("options")
    for name, value in fields.items():
        setattr(proposal, name, value)
    if proposal.status == "open":
        _check_dates(proposal)
    proposal.save()
    Option.delete().where(Option.proposal == proposal).execute()
    _set_options(proposal, options)
    return proposal


def _set_options(proposal, options):
    Option.insert_many([{"proposal": proposal.id, "position": position, "kind": kind,
                         "label_nl": label_nl, "label_en": label_en}
                        for position, (kind, label_nl, label_en) in enumerate(options)]).execute()


def _check_dates(proposal):
    if proposal.voting_opens_at + dt.timedelta(hours=1) > proposal.closes_at:
        raise DecisionError(_("The voting must close at least an hour after the discussion ends."),
                            "closes_too_soon")


def publish(proposal, person, now=None):
    """Put a draft before the members: its discussion begins, or it waits for a coordinator's
    approval when the co-operative wants one (and the author is no coordinator)."""
    from ..permissions import can

    now = now or clock.now()
    proposal = find_proposal(proposal.id, lock=True)
    if proposal.status != "draft":
        raise DecisionError(_("This proposal was already published."), "not_draft")
    if (DecisionSettings.requires_approval(proposal.initiative)
            and not can(person, "decisions.manage", proposal.initiative)):
        proposal.status = "awaiting"
        proposal.save()
        return proposal
    return _open(proposal, person, now)


def approve(proposal, person, now=None):
    """A coordinator approves a proposal that waits: its discussion begins."""
    now = now or clock.now()
    proposal = find_proposal(proposal.id, lock=True)
    if proposal.status != "awaiting":
        raise DecisionError(_("This proposal does not wait for approval."), "not_awaiting")
    proposal.approved_by = person
    return _open(proposal, person, now)


def _open(proposal, person, now):
    proposal.status = "open"
    proposal.voting_opens_at = now + dt.timedelta(days=proposal.discussion_days)
    _check_dates(proposal)
    proposal.save()
    fix_electorate(proposal, now)
    return proposal


def set_requires_approval(initiative, value):
    """Whether the co-operative's coordinators approve proposals before they are discussed."""
    row, _created = DecisionSettings.get_or_create(initiative=initiative)
    row.require_approval = bool(value)
    row.save()
    return row


# --- who may vote ---------------------------------------------------------------------------

def eligible_people(proposal, moment):
    """The ids of the people who may vote, as the memberships stood at `moment`."""
    query = (Membership.select(Membership.person).join(Person)
             .where((Membership.created_at <= moment) & Person.erased_at.is_null()))
    if proposal.initiative_id is not None:
        query = query.where(Membership.initiative == proposal.initiative_id)
    return sorted({row.person_id for row in query})


def fix_electorate(proposal, now=None):
    """Once voting has opened, write down who may vote (as at the opening), if not yet done.
    The caller holds the proposal's lock."""
    now = now or clock.now()
    if (proposal.status != "open" or proposal.electorate_fixed_at is not None
            or now < proposal.voting_opens_at):
        return False
    people = eligible_people(proposal, proposal.voting_opens_at)
    if people:
        Voter.insert_many([{"proposal": proposal.id, "person": person_id, "has_voted": False}
                           for person_id in people]).execute()
    proposal.electorate_fixed_at = proposal.voting_opens_at
    proposal.save()
    return True


def electorate_size(proposal, now=None):
    """How many may vote: the fixed list, or who would be on it if voting opened now."""
    if proposal.electorate_fixed_at is not None:
        return Voter.select().where(Voter.proposal == proposal).count()
    if proposal.status != "open":
        return len(eligible_people(proposal, now or clock.now()))
    return len(eligible_people(proposal, min(now or clock.now(), proposal.voting_opens_at)))


def may_vote(person, proposal, now=None):
    """Whether the person is (or, once voting opens, will be) one of the voters."""
    if person is None:
        return False
    if proposal.electorate_fixed_at is not None:
        return Voter.select().where((Voter.proposal == proposal)
                                    & (Voter.person == person)).exists()
    moment = now or clock.now()
    if proposal.status == "open":
        moment = min(moment, proposal.voting_opens_at)
    return person.id in eligible_people(proposal, moment)


def who_voted(proposal):
    """The names of those who voted, or None while fewer than three have."""
    rows = list(Voter.select(Voter, Person).join(Person)
                .where((Voter.proposal == proposal) & Voter.has_voted))
    if len(rows) < WHO_VOTED_FROM:
        return None
    return sorted(row.person.display_name for row in rows)


def voted_count(proposal):
    return Voter.select().where((Voter.proposal == proposal) & Voter.has_voted).count()


# --- ballots --------------------------------------------------------------------------------

def ballot_token(proposal, person, key=None):
    """The token of a voter's secret ballot: keyed with the app's secret, which the database
    does not hold."""
    key = key if key is not None else (current_app.secret_key if has_app_context() else None)
    if not key:
        raise RuntimeError("a secret ballot needs the app's secret key")
    key = key.encode() if isinstance(key, str) else key
    message = f"peerm-ballot:{proposal.id}:{person.id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def cast_ballot(proposal, person, choice, reason="", at=None, now=None, paper=False):
    """Cast (or change) a voter's ballot; returns ("counted" | "changed", the ballot).

    `at` is when it was cast (the phone's clock); it counts when before the close and when it
    arrives (`now`) before the grace period ends.
    """
    now = now or clock.now()
    at = at or now
    proposal = find_proposal(proposal.id, lock=True)
    fix_electorate(proposal, now)
    phase = proposal.phase(now)
    if phase in ("draft", "awaiting", "discussion") or (
            proposal.voting_opens_at is not None and at < proposal.voting_opens_at):
        raise DecisionError(_("Voting on this proposal has not opened yet."), "not_open")
    if at >= proposal.closes_at or now >= proposal.grace_ends_at:
        raise DecisionError(_("Voting on this proposal closed on %(when)s. Your vote was not "
                              "counted.", when=_when(proposal.closes_at)), "closed")
    voter = (Voter.select().where((Voter.proposal == proposal) & (Voter.person == person))
             .first() if person is not None else None)
    if voter is None:
        raise DecisionError(_("You cannot vote on this proposal: only those who were members "
                              "when voting opened can."), "not_member")
    option = _option(proposal, choice)
    reason = _plain(reason, REASON_MAX, "reason")
    if option.is_block and not reason:
        raise DecisionError(_("Say why you block this proposal: a block needs a reason."),
                            "reason_needed")
    if proposal.secret:
        where = Ballot.token == ballot_token(proposal, person)
        values = {"token": ballot_token(proposal, person), "person": None, "cast_at": None}
    else:
        where = (Ballot.proposal == proposal) & (Ballot.person == person)
        values = {"token": None, "person": person.id, "cast_at": at}
    values.update(option=option.id, reason=reason, paper=paper, late=now >= proposal.closes_at)
    existing = Ballot.select().where(where).first()
    if existing is None:
        ballot = Ballot.create(proposal=proposal, **values)
        outcome = "counted"
    else:
        Ballot.update(**values).where(Ballot.id == existing.id).execute()
        ballot = Ballot.get_by_id(existing.id)
        outcome = "changed"
    Voter.update(has_voted=True).where(Voter.id == voter.id).execute()
    return outcome, ballot


def _option(proposal, choice):
    number = whole_number(choice)
    option = (Option.get_or_none((Option.id == number) & (Option.proposal == proposal))
              if number is not None else None)
    if option is None:
        raise DecisionError(_("Choose one of the options on the ballot."), "choice_invalid")
    return option


def own_ballot(proposal, person):
    """The person's current ballot, found by their token when secret (None once the tokens
    are wiped, or when they have not voted)."""
    if person is None:
        return None
    if proposal.secret:
        if proposal.outcome:
            return None
        return Ballot.get_or_none(Ballot.token == ballot_token(proposal, person))
    return Ballot.get_or_none((Ballot.proposal == proposal) & (Ballot.person == person))


def has_voted(proposal, person):
    return person is not None and Voter.select().where(
        (Voter.proposal == proposal) & (Voter.person == person) & Voter.has_voted).exists()


def _when(moment):
    from flask_babel import format_datetime

    return format_datetime(clock.local(moment).replace(tzinfo=None), "d MMMM yyyy HH:mm")


# --- the discussion -------------------------------------------------------------------------

def add_comment(proposal, person, body, now=None):
    """Add to the discussion, until the voting closes."""
    now = now or clock.now()
    proposal = find_proposal(proposal.id, lock=True)
    fix_electorate(proposal, now)
    if proposal.phase(now) in ("provisional", "final"):
        raise DecisionError(_("The voting has closed, and so has the discussion."), "closed")
    body = _plain(body, COMMENT_MAX, "comment", _("Write something first."))
    return Comment.create(proposal=proposal, person=person, body=body, created_at=now)


# --- counting -------------------------------------------------------------------------------

@dataclass
class Tally:
    """The figures of a vote and what they decide."""
    electorate: int
    voted: int
    counts: dict = field(default_factory=dict)
    paper: int = 0
    late: int = 0
    quorum_needed: int = 0
    quorum_met: bool = False
    # adopted | rejected | blocked | chosen | no_majority | no_quorum
    result: str = "no_quorum"
    winner: int = None


def count(kinds, choices, electorate, quorum_percent, majority):
    """What a vote decides. `kinds`: option id → kind; `choices`: the option id of each
    counted ballot.

    The quorum is met when at least `quorum_percent` of the electorate (rounded up) voted.
    Standard options: a single block stops the proposal; else it is adopted when more than
    half (or at least two thirds) of those who agreed or disagreed agreed; abstentions count
    for the quorum only. Own options: the option chosen by more than half (or at least two
    thirds) of the ballots wins.
    """
    counts = {option_id: 0 for option_id in kinds}
    for choice in choices:
        counts[choice] += 1
    voted = len(choices)
    needed = -(-quorum_percent * electorate // 100)
    tally = Tally(electorate=electorate, voted=voted, counts=counts, quorum_needed=needed,
                  quorum_met=voted >= needed and voted > 0)
    if not tally.quorum_met:
        return tally
    by_kind = {}
    for option_id, kind in kinds.items():
        by_kind[kind] = by_kind.get(kind, 0) + counts[option_id]
    if "own" not in by_kind:
        agree, disagree = by_kind.get("agree", 0), by_kind.get("disagree", 0)
        if by_kind.get("block", 0):
            tally.result = "blocked"
        elif _enough(agree, agree + disagree, majority):
            tally.result = "adopted"
        else:
            tally.result = "rejected"
        return tally
    top = max(counts.values())
    leaders = [option_id for option_id, n in counts.items() if n == top]
    if len(leaders) == 1 and _enough(top, voted, majority):
        tally.result, tally.winner = "chosen", leaders[0]
    else:
        tally.result = "no_majority"
    return tally


def _enough(part, whole, majority):
    if part == 0:
        return False
    if majority == "two_thirds":
        return 3 * part >= 2 * whole
    return 2 * part > whole


def tally_of(proposal, now=None):
    """The proposal's tally from its ballots (the stored outcome once it is final)."""
    options = proposal.options_in_order()
    ballots = list(Ballot.select().where(Ballot.proposal == proposal))
    tally = count({o.id: o.kind for o in options}, [b.option_id for b in ballots],
                  electorate_size(proposal, now), proposal.quorum_percent, proposal.majority)
    tally.paper = sum(1 for b in ballots if b.paper)
    tally.late = sum(1 for b in ballots if b.late)
    return tally


def figures(proposal, now=None):
    """The outcome's figures, as stored with the proposal once final."""
    stored = proposal.stored_outcome()
    if stored is not None:
        return stored
    tally = tally_of(proposal, now)
    options = proposal.options_in_order()
    data = asdict(tally)
    data["counts"] = [{"id": o.id, "kind": o.kind, "label_nl": o.label_nl,
                       "label_en": o.label_en, "count": tally.counts[o.id]} for o in options]
    data["reasons"] = [b.reason for b in Ballot.select().where(
        (Ballot.proposal == proposal) & (Ballot.reason != "")).order_by(Ballot.id)]
    return data


def finalise(proposal, now=None):
    """Once the grace period is over, keep the outcome with the proposal and wipe the tokens
    of its secret ballots. Returns whether it did."""
    now = now or clock.now()
    proposal = find_proposal(proposal.id, lock=True)
    fix_electorate(proposal, now)
    if proposal.phase(now) != "final" or proposal.outcome:
        return False
    proposal.outcome = json.dumps(figures(proposal, now), sort_keys=True)
    proposal.outcome_at = now
    proposal.save()
    Ballot.update(token=None).where(Ballot.proposal == proposal).execute()
    return True


def due_proposals(now):
    """Proposals with work for the daily round: an electorate to fix or an outcome to keep."""
    return list(Proposal.select(Proposal.id).where(
        (Proposal.status == "open") & (
            (Proposal.electorate_fixed_at.is_null() & (Proposal.voting_opens_at <= now))
            | ((Proposal.outcome == "") & (Proposal.closes_at <= now)))))


def votes_waiting(person, now=None):
    """The proposals in voting on which this person may vote and has not yet."""
    now = now or clock.now()
    if person is None:
        return []
    candidates = Proposal.select().where((Proposal.status == "open")
                                         & (Proposal.voting_opens_at <= now)
                                         & (Proposal.closes_at > now))
    return [p for p in candidates if may_vote(person, p, now) and not has_voted(p, person)]


def time_left(moment, now=None):
    """How long until a moment, in words: days, else hours, else minutes."""
    seconds = max(0, int((moment - (now or clock.now())).total_seconds()))
    # Rounded to the nearest unit: 47 hours and 59 minutes is "2 days".
    if seconds >= 36 * 3600:
        return ngettext("%(num)d day", "%(num)d days", (seconds + 43200) // 86400)
    if seconds >= 90 * 60:
        return ngettext("%(num)d hour", "%(num)d hours", (seconds + 1800) // 3600)
    return ngettext("%(num)d minute", "%(num)d minutes", max(1, (seconds + 30) // 60))


# --- erasure --------------------------------------------------------------------------------

def erase_person(person, needles):
    """What erasing a person means for decisions: their comments lose their name and any
    mention of them; their ballots stay counted, no longer naming them."""
    Ballot.update(person=None).where(Ballot.person == person).execute()
    for comment in Comment.select().where(Comment.person == person):
        comment.body = without(comment.body, needles)
        comment.person = None
        comment.save()
    for needle in needles:
        for comment in Comment.select().where(Comment.body.contains(needle)):
            comment.body = without(comment.body, needles)
            comment.save()
    return []
