"""The directory's named queries: co-operatives listed and filtered by city, their cities, the
sponsors; a co-operative's needs and partners go with it."""
import datetime as dt

import pytest
from flask_babel import force_locale

from peerm.initiatives.models import Initiative, Partner
from peerm.needs.models import Need

EVERY = ["gamma", "alpha", "beta", "delta"]


def _initiative(slug, city, position, needs=()):
    initiative = Initiative.create(
        slug=slug, name=slug.capitalize(), city=city, legal_form="cooperative",
        position=position, summary_nl=f"{slug} nl", summary_en=f"{slug} en",
        description_nl="…", description_en="…")
    for kind in needs:
        Need.create(initiative=initiative, kind=kind, text_nl=kind, text_en=kind,
                    list_until=dt.date(2027, 1, 1))
    return initiative


@pytest.fixture
def directory(empty_db):
    """Four co-operatives in three cities, a partner of one of them and two network sponsors."""
    gamma = _initiative("gamma", "Breda", 1, ["money", "money"])
    _initiative("beta", "Amersfoort", 2, ["money", "volunteers"])
    _initiative("alpha", "Amersfoort", 2, ["volunteers"])
    _initiative("delta", "Zwolle", 3)
    Partner.create(initiative=gamma, name="Gemeente Breda", kind="municipality",
                   text_nl="…", text_en="…")
    Partner.create(initiative=None, name="Zeta Fonds", kind="fund", text_nl="…", text_en="…")
    Partner.create(initiative=None, name="Alfa Fonds", kind="fund", text_nl="…", text_en="…")
    return empty_db


def _slugs(query):
    return [initiative.slug for initiative in query]


def test_listed_orders_by_position_then_name_when_unfiltered(directory):
    assert _slugs(Initiative.listed()) == EVERY
    assert _slugs(Initiative.listed(city="")) == EVERY


def test_listed_keeps_one_city_when_city_given(directory):
    assert _slugs(Initiative.listed(city="Amersfoort")) == ["alpha", "beta"]
    assert _slugs(Initiative.listed(city="Zwolle")) == ["delta"]
    assert _slugs(Initiative.listed(city="amersfoort")) == []


def test_cities_lists_each_city_once_alphabetically(directory):
    assert Initiative.cities() == ["Amersfoort", "Breda", "Zwolle"]


def test_sponsors_leaves_out_partners_of_co_operatives(directory):
    assert [p.name for p in Partner.sponsors()] == ["Zeta Fonds", "Alfa Fonds"]


def test_needs_and_partners_go_when_their_co_operative_goes(directory):
    gamma = Initiative.get(Initiative.slug == "gamma")
    gamma.delete_instance()
    assert Need.select().where(Need.initiative == gamma.id).count() == 0
    assert [p.name for p in Partner.select().order_by(Partner.id)] == ["Zeta Fonds", "Alfa Fonds"]
    assert [n.initiative.slug for n in Need.select().where(Need.kind == "money")] == ["beta"]


def test_labels_name_coded_values_in_page_language(directory, app):
    beta = Initiative.get(Initiative.slug == "beta")
    need = beta.needs.order_by(Need.kind).first()
    with app.app_context(), force_locale("en"):
        assert str(beta.legal_form_label) == "Co-operative"
        assert str(need.kind_label) == "Money"
        assert beta.summary == "beta en"
    with app.app_context(), force_locale("nl"):
        assert str(beta.legal_form_label) == "Coöperatie"
        assert str(need.kind_label) == "Geld"
        assert beta.summary == "beta nl"
