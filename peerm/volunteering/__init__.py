"""Volunteering: working groups and shifts, check-in and check-out (also offline and on a shared
phone), hours and their approval, and allowances and expenses within the Dutch tax-free caps."""
