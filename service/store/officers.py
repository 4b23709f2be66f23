"""Officers' rows as the use cases lock them."""

from __future__ import annotations

from service.store.lookups import one
from service.store.models import Officer


async def lock_officer(officer_id: int) -> Officer:
    """The officer's row (id and chain head), locked until the transaction ends, so that
    changes to one officer queue up. Raises NotFound `officer.not_found`."""
    query = (
        Officer.filter(id=officer_id)
        .select_for_update(no_key=True)
        .only("id", "chain_seq", "chain_head")
    )
    return await one(query, code="officer.not_found", what=f"officer {officer_id}")
