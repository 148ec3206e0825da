"""The installable app as a part: manifest, worker, offline page, the list of kept pages."""
from ..core.part import Part
from .views import bp

PART = Part(name="pwa", blueprints=(bp,))
