"""The library's routes."""
import secrets

from peerm.library.models import Attachment, Document

from . import COORDINATORS

ROUTE_ARGUMENTS = {
    "library.search_index": lambda world: {"language": "nl"},
    "library.detail": lambda world: {"document_id": world["document_id"]},
    "library.print_view": lambda world: {"document_id": world["document_id"]},
    "library.history": lambda world: {"document_id": world["document_id"]},
    "library.revision": lambda world: {"document_id": world["document_id"], "number": 1},
    "library.edit": lambda world: {"document_id": world["document_id"]},
    "library.confirm_publish": lambda world: {"document_id": world["document_id"]},
    "library.confirm_archive": lambda world: {"document_id": world["document_id"]},
    "library.confirm_remove_file": lambda world: {"document_id": world["document_id"],
                                                  "attachment_id": 0},
    "library.file": lambda world: {"document_id": world["document_id"], "attachment_id": 0,
                                   "name": "none.pdf"},
}
# A file needs bytes on disk (the library's tests upload them).
NOT_FILLED = {"library.confirm_remove_file": 404, "library.file": 404}
LOGGED_IN_ONLY = {"library.new", "library.edit", "library.confirm_publish",
                  "library.confirm_archive"}
NOT_HTML = {"library.search_index": "application/json", "library.script": "text/javascript"}
# The texts of a document as a form sends them.
TEXTS = {"kind": "guide", "title_nl": "Buurtkast", "summary_nl": "Zo maak je een buurtkast.",
         "body_nl": "## Stap 1\n\nZoek een plek."}
MATRIX = {
    "library.create": (COORDINATORS, {**TEXTS, "initiative": "lucas-community"}),
    "library.save": (COORDINATORS, {**TEXTS, "base": "{document_base}"}),
    "library.publish": (COORDINATORS, {}),
    "library.archive": (COORDINATORS, {}),
    "library.add_file": (COORDINATORS, {}),
    "library.remove_file": (COORDINATORS, {}),
}


def walk_world(base):
    return {"document_id": Document.get(Document.seed_key == "wijkraad-starten").id}


def permission_world(person, lucas, now):
    document = Document.get((Document.initiative == lucas) & (Document.status == "published"))
    attachment = Attachment.create(document=document, name="flyer.pdf", kind="pdf", size=10,
                                   stored=secrets.token_hex(16) + ".pdf")
    return ({"document_id": document.id, "attachment_id": attachment.id},
            {"document_base": str(document.revision)})
