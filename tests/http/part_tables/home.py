"""The home page's routes."""
from . import EVERYONE

MATRIX = {"home.choose_language": (EVERYONE, {"lang": "en", "next": "/"})}
