"""The outbox pages. The queue itself lives on the phone (IndexedDB, filled by the worker):
the server gives the page that lists it and the short answer the worker shows when it keeps
an action for later, both in the person's language."""
from flask import Blueprint

from .web import cached_page, render

bp = Blueprint("outbox", __name__, url_prefix="/outbox")


@bp.get("")
@cached_page
def index():
    """What this phone still has to send, and what became of what it sent."""
    from .volunteering.services import MAX_RECEIPT_BYTES

    # A claim refused for its photo can be sent again with the photo made to fit.
    return render("outbox/index.html", max_receipt_bytes=MAX_RECEIPT_BYTES)


@bp.get("/saved")
@cached_page
def saved():
    """The worker's answer to a form sent without signal: kept on this phone, sent later."""
    return render("outbox/_saved.html", partial="outbox/_saved.html")
