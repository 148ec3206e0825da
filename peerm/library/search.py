"""Finding documents: the search of the list page, the small index per language that the
phone keeps to search without signal, and what "keep on this phone" keeps of a document or
of a collection (a kind or a tag)."""
from flask import url_for
from flask_babel import force_locale

from .markdown import plain_words
from .models import KINDS, Attachment, Document, tag_label

# Words of a document's text in the phone's index: enough to find it, not the whole text.
INDEX_WORDS = 400


def _haystack(document, language):
    revision = document.current
    title, summary, body = revision.text_in(language)
    labels = " ".join(str(tag_label(tag)) for tag in document.tag_list)
    return " ".join([title, summary, body, " ".join(document.tag_list), labels,
                     str(document.kind_label)]).lower()


def find(documents, query, language):
    """The documents whose text (in the page's language, else the other) holds every word of
    the query; all of them for an empty query."""
    words = [word for word in query.lower().split() if word]
    if not words:
        return documents
    return [document for document in documents
            if all(word in _haystack(document, language) for word in words)]


def document_urls(document):
    """What keeping a document on the phone keeps: its page and its files (the page prints
    as well as the print view does, which is left out to spare the phone's data)."""
    urls = [url_for("library.detail", document_id=document.id)]
    urls += [url_for("library.file", document_id=document.id, attachment_id=a.id, name=a.name)
             for a in Attachment.select().where(Attachment.document == document)
             .order_by(Attachment.id)]
    return urls


def keep_data(document, revision):
    """What the page's script needs to keep one document: its id, revision and URLs."""
    if document.status != "published":
        return None
    return {"id": document.id, "revision": revision.number, "urls": document_urls(document)}


def collection(kind, tag, documents):
    """What the page's script needs to keep a whole collection (a kind or a tag): the list
    page itself and every document in it."""
    name = f"kind:{kind}" if kind else f"tag:{tag}"
    return {"name": name,
            "page": url_for("library.index", kind=kind or None, tag=tag or None),
            "docs": [{"id": d.id, "revision": d.revision, "urls": document_urls(d)}
                     for d in documents]}


def index(language):
    """The search index of the published documents in one language, for the phone."""
    entries = []
    with force_locale(language):
        for document in Document.published():
            revision = document.current
            title, summary, body = revision.text_in(language)
            entries.append({
                "id": document.id,
                "url": url_for("library.detail", document_id=document.id),
                "revision": revision.number,
                "updated": revision.created_at.isoformat(timespec="minutes") + "Z",
                "lang": body.lang,
                "kind": document.kind,
                "kindLabel": str(KINDS.get(document.kind, document.kind)),
                "tags": document.tag_list,
                "tagLabels": [str(tag_label(tag)) for tag in document.tag_list],
                "title": str(title),
                "summary": str(summary),
                "words": " ".join(plain_words(str(body))[:INDEX_WORDS]),
                "urls": document_urls(document),
            })
    return {"language": language, "documents": entries}
