"""The pages of the library: the list by kind and tag with its search, a document in the
person's language with its print view, its history and its old revisions, the search index
the phone keeps, and — for a co-operative's coordinators — writing, editing, publishing,
archiving and attaching files."""
import json
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _

from ..accounts.session import current_person
from ..core.db import write_transaction
from ..core.validation import whole_number
from ..i18n import current_language
from ..initiatives.models import Initiative
from ..permissions import can, library_initiatives, may_read_document
from ..web import cached_page, logged_in, render
from . import search, services
from .markdown import render as markdown
from .models import KINDS, TAGS, Attachment, Document, Revision, tag_label
from .services import LibraryError

bp = Blueprint("library", __name__, url_prefix="/library")
SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "library.js"
# The longest search people may type.
SEARCH_MAX = 80


def _document_or_404(document_id):
    document = Document.get_or_none(Document.id == document_id)
    if document is None or not may_read_document(current_person(), document):
        abort(404)
    return document


def _writer(document):
    """The current person, who must be allowed to write this document (else login or 403)."""
    person = logged_in()
    if not can(person, "library.write", document.initiative):
        abort(403)
    return person


def _talks_of(document):
    """Social Talks held on the document's theme, newest first, with their recordings."""
    if not document.theme:
        return []
    from ..events.models import Event

    return [talk for talk in Event.talks_archive() if talk.theme_nl == document.theme]


def _themes():
    """The themes of the Social Talks, to link a document to (Dutch, as events keep them)."""
    from ..events.models import Event

    themes = {event.theme_nl for event in Event.select(Event.theme_nl)
              .where((Event.kind == "social_talk") & (Event.theme_nl != ""))}
    return sorted(themes)


@bp.get("")
@cached_page
def index():
    """The documents by kind and tag, with a short summary; search on words."""
    kind = request.args.get("kind", "").strip()
    tag = request.args.get("tag", "").strip()
    query = " ".join(request.args.get("q", "").split())[:SEARCH_MAX]
    tags = Document.all_tags()
    unknown = []
    if kind and kind not in KINDS:
        unknown.append(kind)
        kind = ""
    if tag and tag not in tags:
        unknown.append(tag)
        tag = ""
    documents = search.find(list(Document.published(kind or None, tag or None)), query,
                            current_language())
    person = current_person()
    mine = Document.of_initiatives(library_initiatives(person))
    collection = None
    kind_counts = []
    if not (kind or tag or query):
        kind_counts = [(key, label, sum(1 for d in documents if d.kind == key))
                       for key, label in KINDS.items()]
        kind_counts = [row for row in kind_counts if row[2]]
    if (kind or tag) and not query and documents:
        collection = search.collection(kind, tag, documents)
    return render("library/index.html", partial="library/_list.html", documents=documents,
                  kinds=KINDS, tags=[(t, tag_label(t)) for t in tags], kind=kind, tag=tag,
                  query=query, unknown=unknown, mine=mine, collection=collection,
                  kind_counts=kind_counts,
                  may_write=bool(library_initiatives(person)))


@bp.get("/library.js")
def script():
    """The library's page script (keeping on the phone, searching offline), for its own pages
    only; revalidated by its ETag, and kept on the phone with the documents."""
    response = Response(SCRIPT.read_text(), mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/index.<any(nl, en):language>.json")
def search_index(language):
    """The small search index of the published documents in one language, which the phone
    keeps to search without signal."""
    body = json.dumps(search.index(language), ensure_ascii=False, separators=(",", ":"))
    response = Response(body, mimetype="application/json")
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)


def _reading(document, revision):
    """What a page shows of a revision in the person's language."""
    language = current_language()
    title, summary, body = revision.text_in(language)
    return {"title": title, "summary": summary, "body": body, "html": markdown(body),
            "language": language, "missing": body.lang != language,
            "behind": body.lang == "en" and revision.translation_behind}


@bp.get("/<int:document_id>")
@cached_page
def detail(document_id):
    """A document in the person's language, its revision and date, its files and the Social
    Talks on its theme; keep it (or its collection) on the phone."""
    document = _document_or_404(document_id)
    revision = document.latest()
    person = current_person()
    collection = None
    if document.status == "published":
        collection = search.collection(document.kind, "",
                                       list(Document.published(document.kind)))
    return render("library/detail.html", document=document, revision=revision,
                  reading=_reading(document, revision), talks=_talks_of(document),
                  attachments=list(document.attachments.order_by(Attachment.id)),
                  keep=search.keep_data(document, revision), collection=collection,
                  may_write=can(person, "library.write", document.initiative))


@bp.get("/<int:document_id>/print")
@cached_page
def print_view(document_id):
    """The document on paper, for a meeting: only its text, its version and where to find it."""
    document = _document_or_404(document_id)
    revision = document.latest()
    return render("library/print.html", document=document, revision=revision,
                  reading=_reading(document, revision),
                  address=url_for("library.detail", document_id=document.id, _external=True))


@bp.get("/<int:document_id>/history")
def history(document_id):
    """Every revision of a document, newest first, with who saved it and why."""
    document = _document_or_404(document_id)
    revisions = list(Revision.select().where(Revision.document == document)
                     .order_by(Revision.number.desc()))
    return render("library/history.html", document=document, revisions=revisions,
                  may_write=can(current_person(), "library.write", document.initiative))


@bp.get("/<int:document_id>/revisions/<int:number>")
def revision(document_id, number):
    """One revision as it was saved (they never change)."""
    document = _document_or_404(document_id)
    found = document.revision_number(number)
    if found is None:
        abort(404)
    return render("library/revision.html", document=document, revision=found,
                  reading=_reading(document, found))


# --- writing -------------------------------------------------------------------------------

def _form_values(form, document=None, revision=None):
    """The edit form's values: as sent, or else the document's current ones."""
    if form is not None:
        values = {name: form.get(name, "") for name in services.TEXT_FIELDS}
        values.update(kind=form.get("kind", ""), theme=form.get("theme", ""),
                      note=form.get("note", ""), other_tags=form.get("other_tags", ""),
                      tags=form.getlist("tags"), initiative=form.get("initiative", ""),
                      english_current=bool(form.get("english_current")))
        return values
    values = {name: getattr(revision, name) if revision else "" for name in services.TEXT_FIELDS}
    tags = document.tag_list if document else []
    values.update(kind=document.kind if document else "guide",
                  theme=document.theme if document else "", note="",
                  tags=[t for t in tags if t in TAGS],
                  other_tags=", ".join(t for t in tags if t not in TAGS),
                  initiative="", english_current=False)
    return values


def _form_page(document, values, error=None, status=200, initiatives=()):
    revision = document.latest() if document else None
    response = render("library/form.html", document=document, revision=revision,
                      values=values, error=error, kinds=KINDS, known_tags=TAGS,
                      themes=_themes(), initiatives=initiatives,
                      attachments=(list(document.attachments.order_by(Attachment.id))
                                   if document else []),
                      max_mb=services.MAX_ATTACHMENT_MB,
                      status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _theme_from(form):
    theme = form.get("theme", "").strip()
    if theme and theme not in _themes():
        raise LibraryError(_("Choose a theme from the list."), "theme_unknown")
    return theme


def _tags_from(form):
    return [*form.getlist("tags"), form.get("other_tags", "")]


@bp.get("/new")
def new():
    """The form for a new document, for coordinators."""
    person = logged_in()
    initiatives = library_initiatives(person)
    if not initiatives:
        abort(403)
    return _form_page(None, _form_values(None), initiatives=initiatives)


@bp.post("/new")
def create():
    """Save a new document as a draft (its first revision)."""
    person = logged_in()
    initiatives = library_initiatives(person)
    slug = request.form.get("initiative", "")
    initiative = next((i for i in initiatives if i.slug == slug), None)
    if initiative is None and len(initiatives) == 1 and not slug:
        initiative = initiatives[0]
    if initiative is None:
        if Initiative.get_or_none(Initiative.slug == slug) is not None or not initiatives:
            abort(403)
        return _form_page(None, _form_values(request.form), status=400,
                          initiatives=initiatives,
                          error=_("Choose the co-operative this document belongs to."))
    try:
        with write_transaction():
            document = services.create_document(
                person, initiative, request.form.get("kind", ""), _tags_from(request.form),
                request.form, note=request.form.get("note", ""),
                theme=_theme_from(request.form))
    except LibraryError as error:
        return _form_page(None, _form_values(request.form), error=error.message, status=400,
                          initiatives=initiatives)
    flash(_("The document is saved as a draft (version 1). Publish it when it is ready."))
    return redirect(url_for("library.detail", document_id=document.id), 303)


@bp.get("/<int:document_id>/edit")
def edit(document_id):
    """The edit form: the texts in Markdown, the kind, tags and theme, a note on the change."""
    document = _document_or_404(document_id)
    _writer(document)
    return _form_page(document, _form_values(None, document, document.latest()))


@bp.post("/<int:document_id>/edit")
def save(document_id):
    """Save the texts as the document's next revision."""
    document = _document_or_404(document_id)
    person = _writer(document)
    try:
        with write_transaction():
            saved = services.save_revision(
                person, document, request.form, note=request.form.get("note", ""),
                base=whole_number(request.form.get("base", "")),
                english_current=bool(request.form.get("english_current")),
                kind=request.form.get("kind", ""), tags=_tags_from(request.form),
                theme=_theme_from(request.form))
    except LibraryError as error:
        return _form_page(document, _form_values(request.form), error=error.message,
                          status=400)
    flash(_("Saved as version %(number)d.", number=saved.number))
    return redirect(url_for("library.detail", document_id=document.id), 303)


def _confirm_page(document, action, error=None, status=200):
    response = render("library/confirm.html", document=document, action=action, error=error,
                      status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<int:document_id>/publish")
def confirm_publish(document_id):
    """Asks before a document is published."""
    document = _document_or_404(document_id)
    _writer(document)
    return _confirm_page(document, "publish")


@bp.get("/<int:document_id>/archive")
def confirm_archive(document_id):
    """Asks before a document is archived."""
    document = _document_or_404(document_id)
    _writer(document)
    return _confirm_page(document, "archive")


@bp.post("/<int:document_id>/publish")
def publish(document_id):
    """Publish a draft (or an archived document again): everybody can read it."""
    document = _document_or_404(document_id)
    person = _writer(document)
    try:
        with write_transaction():
            services.publish(person, document)
    except LibraryError as error:
        return _confirm_page(document, "publish", error=error.message, status=400)
    flash(_("The document is published: everybody can read it now."))
    return redirect(url_for("library.detail", document_id=document.id), 303)


@bp.post("/<int:document_id>/archive")
def archive(document_id):
    """Archive a published document: it leaves the list, its page says it is archived."""
    document = _document_or_404(document_id)
    person = _writer(document)
    try:
        with write_transaction():
            services.archive(person, document)
    except LibraryError as error:
        return _confirm_page(document, "archive", error=error.message, status=400)
    flash(_("The document is archived."))
    return redirect(url_for("library.detail", document_id=document.id), 303)


# --- files ---------------------------------------------------------------------------------

def _attachment_or_404(document, attachment_id):
    attachment = Attachment.get_or_none((Attachment.id == attachment_id)
                                        & (Attachment.document == document))
    if attachment is None:
        abort(404)
    return attachment


@bp.post("/<int:document_id>/files")
def add_file(document_id):
    """Add a PDF or a photo to a document."""
    document = _document_or_404(document_id)
    person = _writer(document)
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise LibraryError(_("Choose a file first."), "file_missing")
        # One byte more than allowed tells a file that is too large without reading it all.
        data = upload.stream.read(services.MAX_ATTACHMENT_BYTES + 1)
        with write_transaction():
            services.add_attachment(person, document, upload.filename, data)
    except LibraryError as error:
        return _form_page(document, _form_values(None, document, document.latest()),
                          error=error.message, status=400)
    flash(_("The file is added."))
    return redirect(url_for("library.edit", document_id=document.id), 303)


@bp.get("/<int:document_id>/files/<int:attachment_id>/remove")
def confirm_remove_file(document_id, attachment_id):
    """Asks before a file is removed."""
    document = _document_or_404(document_id)
    _writer(document)
    attachment = _attachment_or_404(document, attachment_id)
    response = render("library/confirm.html", document=document, action="remove_file",
                      attachment=attachment, error=None)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:document_id>/files/<int:attachment_id>/remove")
def remove_file(document_id, attachment_id):
    """Remove a file from a document."""
    document = _document_or_404(document_id)
    person = _writer(document)
    attachment = _attachment_or_404(document, attachment_id)
    with write_transaction():
        path = services.remove_attachment(person, attachment)
    # The file goes once its row is gone for good.
    path.unlink(missing_ok=True)
    flash(_("The file is removed."))
    return redirect(url_for("library.edit", document_id=document.id), 303)


@bp.get("/<int:document_id>/files/<int:attachment_id>/<name>")
def file(document_id, attachment_id, name):
    """A document's file, with the type its bytes were checked to be."""
    document = _document_or_404(document_id)
    attachment = _attachment_or_404(document, attachment_id)
    path = services.attachment_path(attachment)
    if name != attachment.name or not path.is_file():
        abort(404)
    response = send_file(path, mimetype=attachment.mimetype,
                         as_attachment=not attachment.is_image,
                         download_name=attachment.name, max_age=86400)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response

