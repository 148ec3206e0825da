"""What happens in the library: write a document, save a new revision, publish, archive, add
and remove attachments, and the cleaning up after erasure and in the daily round. Services
run in the caller's `write_transaction()` and raise `LibraryError` with a stable code.

A save never changes a revision: it adds the next one, numbered under the document's lock,
and refuses when someone else saved a newer one since the form was opened (`base`).
Attachments are checked by their first bytes, not by their name or the browser's word, and
kept in a folder of their own under random names; a file whose row is gone is removed.
"""
import datetime as dt
import re
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from ..core import clock
from ..core.db import locked
from ..core.errors import DomainError
from .models import KINDS, TAG_PATTERN, Attachment, Document, Revision

TITLE_MAX = 160
SUMMARY_MAX = 400
BODY_MAX = 60_000
NOTE_MAX = 300
THEME_MAX = 200
TAGS_MAX = 8
TAG_MAX = 30
# Attachments: at most this many bytes each, and this many per document.
MAX_ATTACHMENT_MB = 1
MAX_ATTACHMENT_BYTES = MAX_ATTACHMENT_MB * 1024 * 1024
MAX_ATTACHMENTS = 10
# What an attachment may be, by its first bytes.
MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
)
EXTENSIONS = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg"}
# A file in the folder without its row is removed once it is this old (a file is written
# before its transaction commits; a younger one may still get its row).
ORPHAN_AGE = dt.timedelta(hours=1)
TEXT_FIELDS = ("title_nl", "summary_nl", "body_nl", "title_en", "summary_en", "body_en")


class LibraryError(DomainError):
    """A request about the library's documents that cannot be done."""


# --- checking what people typed ------------------------------------------------------------

def _line(value, maximum):
    return " ".join(str(value or "").split())[:maximum * 2]


def _block(value):
    # Line ends as the browser sends them (\r\n) become \n; nothing else is touched.
    return str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def clean_texts(texts):
    """The six texts of a revision, checked: Dutch is required, English is all or nothing
    (a title and a text; the summary falls back to the Dutch one when left out)."""
    clean = {
        "title_nl": _line(texts.get("title_nl"), TITLE_MAX),
        "summary_nl": _line(texts.get("summary_nl"), SUMMARY_MAX),
        "body_nl": _block(texts.get("body_nl")),
        "title_en": _line(texts.get("title_en"), TITLE_MAX),
        "summary_en": _line(texts.get("summary_en"), SUMMARY_MAX),
        "body_en": _block(texts.get("body_en")),
    }
    if not clean["title_nl"]:
        raise LibraryError(_("Give the document a Dutch title."), "title_missing")
    if not clean["summary_nl"]:
        raise LibraryError(_("Write a short Dutch summary: two or three simple sentences."),
                           "summary_missing")
    if not clean["body_nl"]:
        raise LibraryError(_("The Dutch text is empty."), "body_missing")
    for name, maximum in (("title", TITLE_MAX), ("summary", SUMMARY_MAX)):
        if any(len(clean[f"{name}_{lang}"]) > maximum for lang in ("nl", "en")):
            raise LibraryError(_("A title has at most %(title)d characters and a summary at "
                                 "most %(summary)d.", title=TITLE_MAX, summary=SUMMARY_MAX),
                               "too_long")
    if any(len(clean[f"body_{lang}"]) > BODY_MAX for lang in ("nl", "en")):
        raise LibraryError(_("The text is too long: at most %(max)d characters.", max=BODY_MAX),
                           "too_long")
    english = [clean["title_en"], clean["summary_en"], clean["body_en"]]
    if any(english) and not (clean["title_en"] and clean["body_en"]):
        raise LibraryError(_("The English translation needs a title and a text (or leave all "
                             "English fields empty)."), "english_incomplete")
    return clean


def clean_tags(tags):
    """Tags as a list of lower-case words joined by dashes, each once, at most `TAGS_MAX`."""
    found = []
    for raw in tags or ():
        for piece in str(raw).split(","):
            tag = "-".join(piece.strip().lower().split())
            if not tag:
                continue
            if len(tag) > TAG_MAX or not TAG_PATTERN.fullmatch(tag):
                raise LibraryError(_("A tag is one or a few words, with letters and digits "
                                     "only: \"%(tag)s\" is not.", tag=piece.strip()[:TAG_MAX]),
                                   "tag_invalid")
            if tag not in found:
                found.append(tag)
    if len(found) > TAGS_MAX:
        raise LibraryError(_("Give at most %(max)d tags.", max=TAGS_MAX), "too_many_tags")
    return found


def _check_kind(kind):
    if kind not in KINDS:
        raise LibraryError(_("Choose what kind of document this is."), "kind_invalid")
    return kind


def _check_note(note):
    note = _line(note, NOTE_MAX)
    if len(note) > NOTE_MAX:
        raise LibraryError(_("The note about this change has at most %(max)d characters.",
                             max=NOTE_MAX), "note_too_long")
    return note


def _check_theme(theme):
    theme = _line(theme, THEME_MAX)
    return theme[:THEME_MAX]


# --- documents and revisions ---------------------------------------------------------------

def create_document(person, initiative, kind, tags, texts, note="", theme="", now=None):
    """A new draft document of a co-operative, with its first revision."""
    now = now or clock.now()
    kind = _check_kind(kind)
    tags = clean_tags(tags)
    clean = clean_texts(texts)
    note = _check_note(note)
    document = Document.create(initiative=initiative, kind=kind, tags=",".join(tags),
                               theme=_check_theme(theme), status="draft", revision=1,
                               created_at=now, created_by=person, updated_at=now)
    Revision.create(document=document, number=1, nl_revision=1,
                    en_from=1 if clean["body_en"] else None, note=note, author=person,
                    created_at=now, **clean)
    return document


def _lock_document(document):
    """The document, read again with its row locked until the transaction ends."""
    return locked(Document.select().where(Document.id == document.id)).get()


def save_revision(person, document, texts, note="", base=None, english_current=False,
                  kind=None, tags=None, theme=None, now=None):
    """Save the document's texts as its next revision (the old ones stay as they were).

    `base` is the revision the form was opened on: when someone saved a newer one since, the
    save is refused rather than silently undoing their work. The English text counts as
    translated from the current Dutch one when it changed now, or when the writer says it
    is up to date (`english_current`); otherwise it keeps the Dutch revision it was made from.
    """
    now = now or clock.now()
    document = _lock_document(document)
    if document.status == "archived":
        raise LibraryError(_("This document is archived. Publish it again before you change "
                             "it."), "archived")
    if base is not None and base != document.revision:
        raise LibraryError(_("Someone saved a newer version (%(number)d) while you were "
                             "writing. Open the document again and make your change there.",
                             number=document.revision), "stale_edit")
    clean = clean_texts(texts)
    note = _check_note(note)
    kind = _check_kind(kind) if kind is not None else document.kind
    tags = ",".join(clean_tags(tags)) if tags is not None else document.tags
    theme = _check_theme(theme) if theme is not None else document.theme
    previous = document.latest()
    dutch_changed = any(clean[name] != getattr(previous, name)
                        for name in ("title_nl", "summary_nl", "body_nl"))
    english_changed = any(clean[name] != getattr(previous, name)
                          for name in ("title_en", "summary_en", "body_en"))
    meta_changed = (kind, tags, theme) != (document.kind, document.tags, document.theme)
    if not (dutch_changed or english_changed or meta_changed or
            (english_current and previous.translation_behind)):
        raise LibraryError(_("Nothing has changed, so no new version was saved."),
                           "nothing_changed")
    number = document.revision + 1
    nl_revision = number if dutch_changed else previous.nl_revision
    if not clean["body_en"]:
        en_from = None
    elif english_changed or english_current:
        en_from = nl_revision
    else:
        en_from = previous.en_from
    revision = Revision.create(document=document, number=number, nl_revision=nl_revision,
                               en_from=en_from, note=note, author=person, created_at=now,
                               **clean)
    Document.update(revision=number, kind=kind, tags=tags, theme=theme,
                    updated_at=now).where(Document.id == document.id).execute()
    return revision


def publish(person, document, now=None):
    """Make a draft (or an archived document) readable by everyone."""
    now = now or clock.now()
    document = _lock_document(document)
    if document.status == "published":
        raise LibraryError(_("This document is already published."), "already_published")
    Document.update(status="published", published_at=now, archived_at=None,
                    updated_at=now).where(Document.id == document.id).execute()
    return Document.get_by_id(document.id)


def archive(person, document, now=None):
    """Take a published document out of the list; its page stays, marked as archived."""
    now = now or clock.now()
    document = _lock_document(document)
    if document.status != "published":
        raise LibraryError(_("Only a published document can be archived."), "not_published")
    Document.update(status="archived", archived_at=now,
                    updated_at=now).where(Document.id == document.id).execute()
    return Document.get_by_id(document.id)


# --- attachments ---------------------------------------------------------------------------

def attachments_folder():
    folder = Path(current_app.config.get("LIBRARY_FOLDER")
                  or Path(current_app.instance_path) / "library")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def file_kind(data):
    """'pdf', 'png' or 'jpeg' by the file's first bytes; a refusal for anything else."""
    if not data:
        raise LibraryError(_("The file is empty."), "file_empty")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise LibraryError(_("The file is too large: at most %(size)d MB.",
                             size=MAX_ATTACHMENT_MB), "file_too_large")
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    raise LibraryError(_("Only PDF files and photos (PNG or JPEG) can be added."),
                       "file_type")


def _clean_name(filename, kind):
    stem = Path(str(filename or "").replace("\\", "/")).name
    stem = re.sub(r"[^\w.\- ]+", "_", stem).strip(" ._") or "bestand"
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return stem[:100] + EXTENSIONS[kind]


def add_attachment(person, document, filename, data, now=None):
    """Keep a file with the document. The file is written before the row: should the
    transaction fail, the daily round removes the file that has no row."""
    now = now or clock.now()
    document = _lock_document(document)
    kind = file_kind(data)
    if Attachment.select().where(Attachment.document == document).count() >= MAX_ATTACHMENTS:
        raise LibraryError(_("A document has at most %(max)d files.", max=MAX_ATTACHMENTS),
                           "too_many_files")
    stored = secrets.token_hex(16) + EXTENSIONS[kind]
    path = attachments_folder() / stored
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return Attachment.create(document=document, name=_clean_name(filename, kind),
                             stored=stored, kind=kind, size=len(data), uploaded_by=person,
                             uploaded_at=now)


def remove_attachment(person, attachment):
    """Remove a file from a document; returns the path to delete once the transaction is
    committed."""
    _lock_document(attachment.document)
    path = attachments_folder() / attachment.stored
    Attachment.delete().where(Attachment.id == attachment.id).execute()
    return path


def attachment_path(attachment):
    return attachments_folder() / attachment.stored


def remove_orphan_files(now=None):
    """Delete files of the folder that no attachment names (a write whose transaction failed,
    a document of a co-operative that was removed); returns how many."""
    now = now or clock.now()
    folder = attachments_folder()
    known = {stored for (stored,) in Attachment.select(Attachment.stored).tuples()}
    removed = 0
    limit = (now - ORPHAN_AGE).replace(tzinfo=dt.timezone.utc).timestamp()
    for path in folder.iterdir():
        if path.is_file() and path.name not in known and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


# --- erasure -------------------------------------------------------------------------------

def erase_person(person, needles):
    """Erasing a person: the documents and revisions they wrote belong to their co-operative
    and stay (a revision never changes; the author's row is blanked by the accounts part);
    who made a document or added a file is forgotten. No file is theirs."""
    Document.update(created_by=None).where(Document.created_by == person).execute()
    Attachment.update(uploaded_by=None).where(Attachment.uploaded_by == person).execute()
    return []
