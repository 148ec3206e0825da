"""Which published documents may help with something: a need for knowledge, a question.

`documents_for(text_or_tags)` takes free text ("We zoeken hulp bij het opzetten van een
wijkraad") or tags (["neighbourhood", "deciding"]) and gives the published documents that
fit best, best first. Another part (the needs board) calls it to show "documents that may
help" beside a need of kind "knowledge"; it reads nothing but the library's own tables.
"""
from .markdown import plain_words
from .models import Document

# Words too common to tell documents apart, in both languages.
STOP_WORDS = frozenset("""
aan als andere bij dan dat die dit door een eens en geen hebben heeft het hier hoe iets ik
in is je jij kan kun kunnen maar met meer moet naar niet nog nu of om onze ook op over te
tot uit van veel voor wat we wel wie wij wil worden wordt zijn zo zoeken zoekt hulp
about and are but can for from have help how into its need needs not our that the their
them then there this was what when who will with you your
""".split())
# How much a hit counts: a whole tag, a word of the title or summary, a word of the body.
TAG_WEIGHT = 3
TITLE_WEIGHT = 2
BODY_WEIGHT = 1
# How many documents at most.
LIMIT = 3


def _words(text):
    return {word for word in plain_words(text) if word not in STOP_WORDS}


def _prefix_hits(needles, haystack):
    """How many needles are in the haystack, where a word also matches a longer word that
    starts with it ("wijkraad" finds "wijkraden")."""
    return sum(1 for needle in needles
               if needle in haystack or any(word.startswith(needle[:6]) for word in haystack
                                            if len(needle) >= 6))


def documents_for(text_or_tags, limit=LIMIT):
    """Published documents that may help, best first: a list of `Document` (each with its
    current revision as `.current`). Free text is matched on words, a list on tags."""
    if isinstance(text_or_tags, str):
        tags = set()
        needles = _words(text_or_tags)
    else:
        tags = {str(tag).strip().lower() for tag in text_or_tags or () if str(tag).strip()}
        needles = set()
    if not tags and not needles:
        return []
    scored = []
    for document in Document.published():
        revision = document.current
        document_tags = set(document.tag_list)
        head = set()
        for field in ("title_nl", "summary_nl", "title_en", "summary_en"):
            head |= _words(getattr(revision, field))
        body = _words(revision.body_nl) | _words(revision.body_en)
        # A free text also finds a document by its tags ("wijkraad" and "neighbourhood" do
        # not meet, but "vrijwilligers" and "volunteers" do through the tag's own word).
        score = (TAG_WEIGHT * (len(tags & document_tags) + len(needles & document_tags))
                 + TITLE_WEIGHT * _prefix_hits(needles, head)
                 + BODY_WEIGHT * _prefix_hits(needles, body))
        if score:
            scored.append((score, document))
    scored.sort(key=lambda pair: (-pair[0], pair[1].id))
    return [document for _score, document in scored[:limit]]
