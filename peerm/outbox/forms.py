"""The bridge from an online form to the outbox protocol: a form that may also be sent offline
posts the same action the phone would queue, and its view shows the result the same way."""
import datetime as dt
import uuid

from flask import flash, redirect, request

from ..core import clock
from ..web import render, wants_partial


def form_action(action_type, data):
    """The action an online form stands for, as the phone would have queued it: the form's
    `action_id` (made on the phone), the server's clock as the time, and the form's data."""
    at = clock.now().replace(tzinfo=dt.timezone.utc).isoformat()
    try:
        action_id = str(uuid.UUID(request.form.get("action_id", "")))
    except ValueError:
        action_id = str(uuid.uuid4())
    return {"id": action_id, "type": action_type, "at": at, "data": data}


def answer(result, back):
    """How a form view shows an action's outcome: the result partial for htmx (a refusal as a
    400 that htmx swaps in too), else a message on the page it goes back to."""
    if wants_partial():
        status = 200 if result.status in ("applied", "duplicate", "conflict") else 400
        response = render("outbox/_result.html", result=result, status=status)
        response.headers["Cache-Control"] = "no-store"
        return response
    flash(result.message, "error" if result.status in ("rejected", "unauthorized") else "message")
    return redirect(back, 303)
