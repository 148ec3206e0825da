"""Decisions' routes."""
