"""The directory's routes."""
ROUTE_ARGUMENTS = {"initiatives.detail": lambda world: {"slug": world["slug"]}}
