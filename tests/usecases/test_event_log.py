"""The officer's event log as stored: the table has exactly the fields of the domain's
`Event`, and events appended one by one or many at once make chains that verify."""

from __future__ import annotations

from datetime import timedelta

from service.domain.events import COLUMNS, SYSTEM, Change, EventAction, chain
from service.store import events
from service.store.models import Officer, OfficerEvent
from service.usecases.audit import verify_chains
from tests.usecases.conftest import NOW, County


def test_the_table_has_the_events_fields_and_its_id(county: County) -> None:
    columns = set(OfficerEvent._meta.db_fields)
    assert columns == {"id", *COLUMNS}
    assert OfficerEvent._meta.db_table == "officer_events"


async def test_one_by_one_and_set_based_appends_make_one_chain(county: County) -> None:
    officer = await county.officer(exams=False)  # no exams: an empty chain to start from
    first = await events.append(
        officer.id, Change(EventAction.EXAM, SYSTEM, NOW, reason="补录", after={"score": "82.5"})
    )
    batch = []
    seq, head = first.seq, first.hash
    for minutes in (1, 2):
        change = Change(EventAction.ASSESSMENT, SYSTEM, NOW + timedelta(minutes=minutes))
        event = chain(officer.id, seq, head, change)
        batch.append(event)
        seq, head = event.seq, event.hash
    await events.append_many(batch)
    stored = await Officer.get(id=officer.id)
    assert (stored.chain_seq, stored.chain_head) == (3, head)
    assert await OfficerEvent.filter(officer_id=officer.id).count() == 3
    report = await verify_chains()
    assert report.broken is None and report.events == 3
