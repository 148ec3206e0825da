"""The web side of the outbox: `POST /sync`, where phones send what they queued, and the outbox
pages. The queue itself lives on the phone (IndexedDB, filled by the worker): the server gives
the page that lists it and the short answer the worker shows when it keeps an action for
later, both in the person's language."""
import json
import logging

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from ..web import cached_page, current_person, parts, render
from . import protocol

log = logging.getLogger(__name__)

# `/sync` takes JSON with its own origin check instead of the form token, which would have
# expired by the time a queued action is replayed.
sync_bp = Blueprint("sync", __name__)
bp = Blueprint("outbox", __name__, url_prefix="/outbox")


def _same_origin():
    """Whether the request comes from this site's own pages (or its worker)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin and origin != request.host_url.rstrip("/"):
        return False
    return True


@sync_bp.post("/sync")
def sync():
    """Apply a batch of queued actions, in order, and answer one result per action."""
    if not _same_origin():
        return _error(403, _("Actions can only be sent from Peer'M itself."))
    if (request.content_length or 0) > protocol.MAX_BATCH_BYTES:
        return _error(413, _("This batch is too large."))
    if not request.is_json:
        return _error(400, _("Send the actions as JSON."))
    try:
        batch = json.loads(request.get_data(cache=False) or b"null")
    except (ValueError, RecursionError):
        batch = None
    if not isinstance(batch, dict) or not isinstance(batch.get("actions"), list):
        return _error(400, _("The batch must be an object with a list of \"actions\"."))
    actions = batch["actions"]
    if len(actions) > protocol.MAX_ACTIONS:
        return _error(413, _("Send at most %(max)d actions at a time.",
                             max=protocol.MAX_ACTIONS))
    results = protocol.apply_batch(actions, current_person())
    response = jsonify({"results": [result.as_json() for result in results]})
    response.headers["Cache-Control"] = "no-store"
    return response


def _error(status, message):
    response = jsonify({"error": message})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def action_words():
    """What each action type is called, in the page's language, from every part (a type no
    part names keeps its code)."""
    return {action_type: str(words) for part in parts()
            for action_type, words in getattr(part.actions, "words", {}).items()}


@bp.get("")
@cached_page
def index():
    """What this phone still has to send, and what became of what it sent."""
    return render("outbox/index.html", words=action_words())


@bp.get("/saved")
@cached_page
def saved():
    """The worker's answer to a form sent without signal: kept on this phone, sent later. It
    carries the words for every action type, which the worker puts in front ("Aanmelding ·
    Winterpicknick: saved on this phone") and takes out."""
    return render("outbox/_saved.html", partial="outbox/_saved.html", words=action_words())
