"""Decisions: proposals, discussion, one member one vote, closing time, quorum and outcome."""
