"""Officers' rows as the use cases lock them."""

from __future__ import annotations

from service.domain.errors import NotFound
from service.store.models import Officer


async def lock_officer(officer_id: int) -> Officer:
    """The officer's row (id and chain head), locked until the transaction ends, so that
    changes to one officer queue up. Raises NotFound `officer.not_found`."""
    head = (
        await Officer.filter(id=officer_id)
        .select_for_update(no_key=True)
        .only("id", "chain_seq", "chain_head")
        .first()
    )
    if head is None:
        raise NotFound(f"No officer {officer_id}.", code="officer.not_found")
    return head
