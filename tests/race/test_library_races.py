"""Races in the library, run for real: coordinators saving the same document at once (threads
on SQLite, two processes on PostgreSQL). Every save that is let through adds the next
revision, one number each; saves opened on the same version are refused but one, never
silently undone; old revisions stay as they were. No request may end in a 5xx."""
from playhouse.shortcuts import model_to_dict

from peerm.library.models import Document, Revision

from .conftest import at_once

KEY = "wijkraad-starten"
SAVES = 6


def no_server_errors(answers):
    failed = [a for a in answers if isinstance(a, Exception) or a.status >= 500]
    assert failed == [], failed


def council(servers):
    with servers.database():
        document = Document.get(Document.seed_key == KEY)
        revision = document.latest()
        return document.id, model_to_dict(revision, recurse=False)


def form(current, i, base):
    texts = {name: current[name] for name in
             ("title_nl", "summary_nl", "body_nl", "title_en", "summary_en", "body_en")}
    texts["body_nl"] += f"\n\nAanvulling {i}."
    return {**texts, "kind": "howto", "base": str(base), "note": f"aanvulling {i}",
            "tags": "neighbourhood"}


def test_saves_on_same_version_let_one_through_and_keep_the_others_work_refused(servers):
    document_id, current = council(servers)
    clients = [servers.client(i).log_in("fatima@peerm.example") for i in range(SAVES)]
    path = f"/library/{document_id}/edit"
    tokens = [client.form_token(path) for client in clients]

    def save(i):
        return clients[i].post(path, {"csrf_token": tokens[i], **form(current, i,
                                                                      current["number"])})

    answers = at_once(SAVES, save)
    no_server_errors(answers)
    assert sorted(a.status for a in answers) == [303] + [400] * (SAVES - 1)
    with servers.database():
        numbers = [r.number for r in Revision.select().where(Revision.document == document_id)
                   .order_by(Revision.number)]
        kept = Revision.get((Revision.document == document_id)
                            & (Revision.number == current["number"]))
        assert Document.get_by_id(document_id).revision == current["number"] + 1
    assert numbers == list(range(1, current["number"] + 2))
    assert model_to_dict(kept, recurse=False) == current


def test_saves_each_on_latest_version_number_revisions_without_gaps(servers):
    document_id, current = council(servers)
    clients = [servers.client(i).log_in("fatima@peerm.example") for i in range(SAVES)]
    path = f"/library/{document_id}/edit"
    tokens = [client.form_token(path) for client in clients]

    # Without a base (an old form): every save is a new revision, numbered one by one.
    def save(i):
        data = form(current, i, "")
        return clients[i].post(path, {"csrf_token": tokens[i], **data})

    answers = at_once(SAVES, save)
    no_server_errors(answers)
    assert [a.status for a in answers] == [303] * SAVES
    with servers.database():
        numbers = [r.number for r in Revision.select().where(Revision.document == document_id)
                   .order_by(Revision.number)]
    assert numbers == list(range(1, current["number"] + SAVES + 1))
