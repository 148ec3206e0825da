"""Markdown to safe HTML, on the server: markdown-it-py renders (CommonMark with tables and
strikethrough, raw HTML switched off, so typed tags come out as text), then nh3 (the
ammonia sanitiser) keeps only the tags and attributes below. Links may go to http(s),
mailto: and tel: addresses or to pages of this site; images only to this site's files (the
page's policy blocks any other host anyway). The highest heading becomes an `h2`: the
document's title is the page's only `h1`.
"""
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# How many different texts keep their rendered HTML in memory (revisions never change).
CACHE_SIZE = 256

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_parser.enable(["table", "strikethrough"])


def _shift_headings(tokens):
    """The text's highest heading becomes an `h2` (the page's `h1` is the title), the others
    follow it, so that no level is skipped whichever level the writer began with."""
    headings = [token for token in tokens if token.type in ("heading_open", "heading_close")]
    if not headings:
        return
    shift = 2 - min(int(token.tag[1]) for token in headings)
    for token in headings:
        token.tag = f"h{min(max(int(token.tag[1]) + shift, 2), 6)}"


def _attribute_filter(tag, attribute, value):
    # Images only from this site (a library attachment, an icon): never a tracking pixel.
    if tag == "img" and attribute == "src" and not (value.startswith("/") and
                                                    not value.startswith("//")):
        return None
    return value


@lru_cache(maxsize=CACHE_SIZE)
def render(text):
    """The Markdown text as sanitised HTML, safe to put in a page."""
    tokens = _parser.parse(text or "")
    _shift_headings(tokens)
    return sanitise(_parser.renderer.render(tokens, _parser.options, {}))


def sanitise(html):
    """HTML with only the allowed tags, attributes and addresses left: no script, no event
    handler, no `javascript:` link, whatever the renderer let through."""
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                            url_schemes=URL_SCHEMES, link_rel="noopener noreferrer nofollow",
                            attribute_filter=_attribute_filter, strip_comments=True))


def plain_words(text):
    """The words of a Markdown text, lower-case, each once, for the search index."""
    tokens = _parser.parse(text or "")
    words = []
    seen = set()
    for token in tokens:
        for child in token.children or ():
            if child.type == "text" or child.type == "code_inline":
                for word in _split(child.content):
                    if word not in seen:
                        seen.add(word)
                        words.append(word)
    return words


def _split(text):
    word = []
    for ch in text.lower():
        if ch.isalnum():
            word.append(ch)
        else:
            if len(word) > 2:
                yield "".join(word)
            word = []
    if len(word) > 2:
        yield "".join(word)
