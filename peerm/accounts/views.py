"""The pages of accounts: log in and out, my account and my sessions, my data, invites and
password resets, and the coordinators' page of members and roles."""
import json

import segno
from flask import Blueprint, Response, abort, flash, redirect, request, session, url_for
from flask_babel import format_date, format_time, to_user_timezone
from flask_babel import gettext as _

from ..i18n import current_language
from ..initiatives.models import Initiative
from ..permissions import (
    can,
    managed_initiatives,
    may_reset_password,
    resettable_people,
)
from ..web import cached_page, local_path, logged_in, one_or_404, render, require
from . import services, sessions
from .models import ROLES, Invite, Membership, Person
from .services import AccountError
from .session import current_person, current_session, end_session, start_session

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with an e-mail address and a password."""
    next_path = local_path(request.values.get("next", "/"))
    error, status = None, 200
    email = request.form.get("email", "")
    if request.method == "POST":
        try:
            person = services.log_in(email, request.form.get("password", ""),
                                     request.remote_addr or "unknown")
        except AccountError as exc:
            error = exc.message
            status = 429 if exc.code == "rate_limited" else 400
        else:
            start_session(person)
            _tell_about_resets(person)
            response = redirect(next_path, 303)
            response.set_cookie("lang", person.language, max_age=365 * 24 * 3600,
                                samesite="Lax", secure=request.is_secure, httponly=True)
            return response
    return render("accounts/login.html", status=status, error=error, email=email[:254],
                  next_path=next_path)


def _tell_about_resets(person):
    """On the first page after logging in: when and by whose link the password was reset
    lately, so that a reset the person did not ask for does not go unnoticed."""
    for maker, at in services.recent_resets(person):
        when = {"day": format_date(at, "d MMMM"), "time": format_time(at, "HH:mm")}
        if maker:
            flash(_("Your password was reset on %(day)s at %(time)s, with a link made by "
                    "%(name)s. Was that not you? Tell your coordinator or the network's "
                    "administrator.", name=maker, **when))
        else:
            flash(_("Your password was reset on %(day)s at %(time)s. Was that not you? Tell "
                    "your coordinator or the network's administrator.", **when))


@bp.post("/logout")
def logout():
    """Log out; the worker then forgets the pages it kept for this person."""
    end_session()
    flash(_("You are logged out."))
    return redirect(url_for("home.index"), 303)


@bp.post("/account/sessions/end")
def end_sessions():
    """Log out on every device: every session of mine ends, this one too."""
    person = logged_in()
    sessions.end_all_sessions(person)
    end_session()
    flash(_("You are logged out on every device."))
    return redirect(url_for("home.index"), 303)


@bp.route("/account", methods=["GET", "POST"])
def account():
    """My account: my name, phone and language, my co-operatives, my data."""
    person = logged_in()
    error, status = None, 200
    if request.method == "POST":
        try:
            services.update_profile(person, request.form.get("display_name", ""),
                                    request.form.get("phone", ""), request.form.get("language"),
                                    skills=request.form.get("skills"))
        except AccountError as exc:
            error, status = exc.message, 400
            person = Person.get_by_id(person.id)
        else:
            flash(_("Your details are saved."))
            response = redirect(url_for("accounts.account"), 303)
            response.set_cookie("lang", person.language, max_age=365 * 24 * 3600,
                                samesite="Lax", secure=request.is_secure, httponly=True)
            return response
    memberships = list(person.memberships.join(Initiative).order_by(Initiative.name))
    this_session = current_session()
    logins = sessions.open_sessions(person)
    for login in logins:
        # Stored in UTC; the page shows the day as it was here.
        login.started = to_user_timezone(login.created_at)
    return render("accounts/account.html", status=status, error=error, me=person,
                  memberships=memberships, managed=managed_initiatives(person),
                  sessions=logins, this_session=this_session.id if this_session else None)


@bp.get("/account/export")
def export():
    """Download everything Peer'M keeps about me, as JSON."""
    person = logged_in()
    body = json.dumps(services.export_data(person), ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="peerm-my-data.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/delete", methods=["GET", "POST"])
def delete():
    """Delete my account, after typing my password to confirm."""
    person = logged_in()
    error, status = None, 200
    if request.method == "POST":
        if services.password_matches(person, request.form.get("password", "")):
            services.erase_account(person)
            end_session()
            flash(_("Your account has been deleted."))
            return redirect(url_for("home.index"), 303)
        error, status = _("This password is not right, so nothing was deleted."), 400
    return render("accounts/delete.html", status=status, error=error)


@bp.get("/privacy")
@cached_page
def privacy():
    """What Peer'M stores about people, why, and for how long."""
    return render("accounts/privacy.html")


@bp.route("/invite/<token>", methods=["GET", "POST"])
def invite(token):
    """Join a co-operative with an invite: choose a name and password, or join as yourself."""
    person = current_person()
    try:
        invitation = services.find_invite(token, "join")
    except AccountError as exc:
        return render("accounts/link_invalid.html", status=410, error=exc.message)
    error, status = None, 200
    form = {"display_name": request.form.get("display_name", "")[:200],
            "email": request.form.get("email", "")[:254]}
    if request.method == "POST":
        try:
            if person is not None:
                services.join_with_invite(token, person)
            else:
                person = services.accept_invite(token, form["display_name"], form["email"],
                                                request.form.get("password", ""),
                                                current_language())
                start_session(person)
        except AccountError as exc:
            error, status = exc.message, 400
        else:
            flash(_("Welcome to %(name)s!", name=invitation.initiative.name))
            return redirect(url_for("initiatives.detail", slug=invitation.initiative.slug), 303)
    return render("accounts/invite.html", status=status, error=error, invitation=invitation,
                  form=form, me=person, role_label=ROLES[invitation.role])


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token):
    """Choose a new password with a reset link."""
    try:
        services.find_invite(token, "reset")
    except AccountError as exc:
        return render("accounts/link_invalid.html", status=410, error=exc.message)
    error, status = None, 200
    if request.method == "POST":
        try:
            person = services.reset_password(token, request.form.get("password", ""))
        except AccountError as exc:
            error, status = exc.message, 400
        else:
            start_session(person)
            flash(_("Your new password is saved."))
            _tell_about_resets(person)
            return redirect(url_for("home.index"), 303)
    return render("accounts/reset.html", status=status, error=error)


@bp.get("/initiatives/<slug>/members")
def members(slug):
    """A co-operative's members and their roles, for its coordinators."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    person = require("members.view", initiative)
    memberships = Membership.of_initiative(initiative)
    return render("accounts/members.html", initiative=initiative, memberships=memberships,
                  roles=ROLES, invites=services.open_invites(initiative),
                  resettable=resettable_people(person, [m.person for m in memberships]))


def _membership_or_404(initiative, membership_id):
    membership = Membership.get_or_none((Membership.id == membership_id)
                                        & (Membership.initiative == initiative))
    if membership is None:
        abort(404)
    return membership


def _back_to_members(person, initiative):
    """Where to go after a change of members: their list, or the co-operative's page for
    someone who may no longer see the list (a coordinator who stepped down or left)."""
    if can(person, "members.view", initiative):
        return url_for("accounts.members", slug=initiative.slug)
    return url_for("initiatives.detail", slug=initiative.slug)


@bp.post("/initiatives/<slug>/members/<int:membership_id>/role")
def change_role(slug, membership_id):
    """Give a member another role (never taking away the last coordinator)."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    person = require("members.manage", initiative)
    membership = _membership_or_404(initiative, membership_id)
    try:
        services.change_role(membership, request.form.get("role", ""))
    except AccountError as exc:
        flash(exc.message, "error")
    else:
        flash(_("%(name)s is now %(role)s.", name=membership.person.display_name,
                role=membership.role_label.lower()))
    return redirect(_back_to_members(person, initiative), 303)


@bp.get("/initiatives/<slug>/members/<int:membership_id>/remove")
def confirm_remove(slug, membership_id):
    """Ask before taking someone out of the co-operative (works without JavaScript)."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    person = require("members.manage", initiative)
    membership = _membership_or_404(initiative, membership_id)
    is_self = membership.person_id == person.id
    heading = (_("Leave %(name)s", name=initiative.name) if is_self
               else _("Remove from %(name)s", name=initiative.name))
    return render("accounts/remove.html", initiative=initiative, membership=membership,
                  is_self=is_self, heading=heading)


@bp.post("/initiatives/<slug>/members/<int:membership_id>/remove")
def remove_member(slug, membership_id):
    """Take a person out of the co-operative (never the last coordinator)."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    person = require("members.manage", initiative)
    membership = _membership_or_404(initiative, membership_id)
    name = membership.person.display_name
    try:
        services.remove_membership(membership)
    except AccountError as exc:
        flash(exc.message, "error")
        return redirect(url_for("accounts.members", slug=slug), 303)
    if membership.person_id == person.id:
        flash(_("You are no longer a member of %(name)s.", name=initiative.name))
    else:
        flash(_("%(name)s is no longer a member.", name=name))
    return redirect(_back_to_members(person, initiative), 303)


# The links made in this session, shown again on reload (only their hashes are stored): the
# last few, by invite id.
SHOWN_LINKS = 5


def _remember_link(invitation, link):
    links = dict(session.get("links") or {})
    links[str(invitation.id)] = link
    session["links"] = dict(list(links.items())[-SHOWN_LINKS:])


@bp.post("/initiatives/<slug>/invites")
def create_invite(slug):
    """Make an invite link (and QR code) for a new member, then show it on a page of its own
    (post/redirect/get: reloading that page makes no second link)."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    person = require("members.invite", initiative)
    try:
        invitation, token = services.create_invite(initiative, request.form.get("role", ""),
                                                   person)
    except AccountError as exc:
        flash(exc.message, "error")
        return redirect(url_for("accounts.members", slug=slug), 303)
    _remember_link(invitation, url_for("accounts.invite", token=token, _external=True))
    return redirect(url_for("accounts.show_link", slug=slug, invite_id=invitation.id), 303)


@bp.post("/initiatives/<slug>/members/<int:membership_id>/reset")
def create_reset(slug, membership_id):
    """Make a link for a member to choose a new password, then show it (post/redirect/get)."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    person = require("members.reset_password", initiative)
    membership = _membership_or_404(initiative, membership_id)
    if not may_reset_password(person, membership.person):
        abort(403)
    try:
        invitation, token = services.create_reset(membership.person, person)
    except AccountError as exc:
        flash(exc.message, "error")
        return redirect(url_for("accounts.members", slug=slug), 303)
    _remember_link(invitation, url_for("accounts.reset", token=token, _external=True))
    return redirect(url_for("accounts.show_link", slug=slug, invite_id=invitation.id), 303)


def _invite_of(initiative, invite_id):
    """An invite or new-password link of this co-operative (a reset: for one of its members)."""
    invitation = Invite.get_or_none(Invite.id == invite_id)
    if invitation is None:
        abort(404)
    if invitation.purpose == "join" and invitation.initiative_id == initiative.id:
        return invitation
    if invitation.purpose == "reset" and Membership.get_or_none(
            person=invitation.person_id, initiative=initiative) is not None:
        return invitation
    abort(404)


@bp.get("/initiatives/<slug>/links/<int:invite_id>")
def show_link(slug, invite_id):
    """A link just made, as text, a QR code and a share button; shown in the session that
    made it (the app keeps only its hash)."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    require("members.invite", initiative)
    invitation = _invite_of(initiative, invite_id)
    link = (session.get("links") or {}).get(str(invitation.id))
    if invitation.purpose == "join":
        title = _("Invite link — role: %(role)s", role=ROLES[invitation.role].lower())
    else:
        title = _("New password for %(name)s", name=invitation.person.display_name)
    qr = None
    if link:
        qr = segno.make(link, error="m").svg_inline(scale=5, dark="#1d2626", light="#ffffff",
                                                    svgclass="qr", title=title)
    response = render("accounts/link.html", initiative=initiative, link=link, qr=qr,
                      title=title, invitation=invitation)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/initiatives/<slug>/invites/<int:invite_id>/revoke")
def confirm_revoke(slug, invite_id):
    """Ask before an invite link stops working."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    require("members.invite", initiative)
    invitation = _invite_of(initiative, invite_id)
    if invitation.purpose != "join":
        abort(404)
    return render("accounts/revoke.html", initiative=initiative, invitation=invitation,
                  role=ROLES.get(invitation.role, ""))


@bp.post("/initiatives/<slug>/invites/<int:invite_id>/revoke")
def revoke_invite(slug, invite_id):
    """Stop an invite link from working."""
    initiative = one_or_404(Initiative, Initiative.slug == slug)
    require("members.invite", initiative)
    invitation = _invite_of(initiative, invite_id)
    if invitation.purpose != "join":
        abort(404)
    try:
        services.revoke_invite(invitation)
    except AccountError as exc:
        flash(exc.message, "error")
    else:
        flash(_("The invite link no longer works."))
    return redirect(url_for("accounts.members", slug=slug), 303)
