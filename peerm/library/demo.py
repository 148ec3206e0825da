"""The library's demo data: the network's shared documents (`seed.DOCUMENTS`), published,
saved revision by revision through the same services as the edit page."""
from ..initiatives.demo import by_slug
from . import services
from .models import Document
from .seed import DOCUMENTS


def load():
    """Add the demo documents that are missing; returns how many were added."""
    slugs = by_slug()
    added = 0
    for item in DOCUMENTS:
        if Document.get_or_none(Document.seed_key == item["key"]):
            continue
        first, *later = item["revisions"]
        document = services.create_document(None, slugs[item["initiative"]], item["kind"],
                                            item["tags"], first, note=first["note"],
                                            theme=item["theme"])
        document.seed_key = item["key"]
        document.save()
        for number, texts in enumerate(later, start=1):
            services.save_revision(None, document, texts, note=texts["note"], base=number)
        services.publish(None, document)
        added += 1
    return {"documents": added}
