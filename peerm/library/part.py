"""The library as a part: documents with revisions in two languages, their files, and the
pages and index a phone keeps when the person asks ("keep on this phone")."""
from flask_babel import lazy_gettext as _l

from ..core.db import write_transaction
from ..core.part import Exported, NavItem, Part
from . import demo, services
from .migrations import MIGRATIONS
from .models import Attachment, Document, Revision
from .views import bp


def _housekeeping(now):
    with write_transaction():
        return {"library files without a document": services.remove_orphan_files(now)}


PART = Part(
    name="library",
    blueprints=(bp,),
    migrations=MIGRATIONS,
    models=(Document, Revision, Attachment),
    # Nothing is kept in the background: a person keeps documents when they ask.
    exported={
        "document": Exported(acted=("created_by",)),
        "revision": Exported(acted=("author",)),
        "attachment": Exported(acted=("uploaded_by",)),
    },
    erase=services.erase_person,
    housekeeping=_housekeeping,
    demo=demo.load,
    nav=(NavItem("library.index", _l("Library"), icon="book", place="menu", order=60,
                 active="library"),),
    # The page script is loaded by the library's own pages (`library.script`), not bundled
    # into every page: the bundle counts against the worker's background budget.
    styles=("library.css",),
)
