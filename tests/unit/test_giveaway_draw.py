"""The fairness of the give-away draw, as properties: whatever the people in a draw and whenever
they last received something, nobody is drawn twice and nobody is left out; who never received
comes before everyone who did, and who received less recently before who received more
recently; people alike are in a random order, so each of them can come first."""
import datetime as dt
import random

from hypothesis import given
from hypothesis import strategies as st

from peerm.giveaway.services import draw_order

MOMENTS = st.one_of(st.none(), st.datetimes(min_value=dt.datetime(2025, 1, 1),
                                            max_value=dt.datetime(2027, 1, 1)))
# (person id, when they last received or None): distinct people.
ENTRIES = st.dictionaries(st.integers(min_value=1, max_value=10_000), MOMENTS, max_size=40)


def key(moment):
    return (moment is not None, moment or dt.datetime.min)


@given(ENTRIES, st.integers(min_value=0, max_value=2**32))
def test_draw_is_an_order_of_exactly_the_people_who_asked(entries, seed):
    order = draw_order(entries.items(), random.Random(seed))
    assert len(order) == len(set(order)) == len(entries)
    assert set(order) == set(entries)


@given(ENTRIES, st.integers(min_value=0, max_value=2**32))
def test_draw_puts_who_received_least_recently_first(entries, seed):
    order = draw_order(entries.items(), random.Random(seed))
    keys = [key(entries[person]) for person in order]
    assert keys == sorted(keys)
    never = [person for person in order if entries[person] is None]
    assert order[:len(never)] == never


@given(st.integers(min_value=2, max_value=6))
def test_people_alike_each_come_first_in_some_draw(size):
    same = dt.datetime(2026, 11, 1)
    entries = [(person, same) for person in range(size)]
    firsts = {draw_order(entries, random.Random(seed))[0] for seed in range(60 * size)}
    assert firsts == set(range(size))
