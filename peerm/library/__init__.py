"""The library: the network's shared documents (guides, templates, how-tos) in Dutch and
English, with numbered revisions that never change, kept on the phone on request.

Other parts may ask which published documents could help with something:
`documents_for(text_or_tags)` (see `peerm.library.matching`).
"""
from .matching import documents_for

__all__ = ["documents_for"]
