"""The pages of decisions."""
from flask import Blueprint

bp = Blueprint("decisions", __name__, url_prefix="/decisions")
