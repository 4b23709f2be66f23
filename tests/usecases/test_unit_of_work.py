"""The unit of work on SQLite and PostgreSQL: hooks run once, after the commit only; a
nested unit is a savepoint whose hooks wait for the outermost commit; a failing hook is
retried and never fails the committed change."""

from __future__ import annotations

import logging
import re

import pytest

from service.domain.organisation import RegionLevel
from service.store.models import Region
from service.usecases.services import Services


class Recorder:
    def __init__(self) -> None:
        self.calls: list[str] = []
        self.rows_seen: list[int] = []

    def hook(self, name: str):  # type: ignore[no-untyped-def]
        async def run() -> None:
            self.calls.append(name)
            self.rows_seen.append(await Region.all().count())

        return run


async def add_region(code: str) -> None:
    await Region.create(code=code, name=f"区划{code}", level=RegionLevel.PROVINCE)


async def test_hooks_run_once_after_the_commit_and_see_its_rows(services: Services) -> None:
    seen = Recorder()
    async with services.unit_of_work() as uow:
        await add_region("650000")
        uow.after_commit("count", seen.hook("count"))
        uow.after_commit("count", seen.hook("registered twice"))
        assert seen.calls == []
    assert seen.calls == ["count"]
    assert seen.rows_seen == [1]


async def test_a_rolled_back_unit_runs_no_hook_and_keeps_no_row(services: Services) -> None:
    seen = Recorder()
    with pytest.raises(RuntimeError):
        async with services.unit_of_work() as uow:
            await add_region("650000")
            uow.after_commit("count", seen.hook("count"))
            raise RuntimeError("refused half-way")
    assert seen.calls == []
    assert await Region.all().count() == 0


async def test_a_nested_unit_waits_for_the_outer_commit(services: Services) -> None:
    seen = Recorder()
    async with services.unit_of_work():
        async with services.unit_of_work() as inner:
            await add_region("650000")
            inner.after_commit("inner", seen.hook("inner"))
        assert seen.calls == []  # the savepoint is released, nothing is committed yet
    assert seen.calls == ["inner"]


async def test_a_rolled_back_savepoint_drops_its_hooks_but_not_the_outer_work(
    services: Services,
) -> None:
    seen = Recorder()
    async with services.unit_of_work() as outer:
        await add_region("650000")
        outer.after_commit("outer", seen.hook("outer"))
        with pytest.raises(RuntimeError):
            async with services.unit_of_work() as inner:
                await add_region("610000")
                inner.after_commit("inner", seen.hook("inner"))
                raise RuntimeError("this row is refused")
    assert seen.calls == ["outer"]
    assert await Region.all().values_list("code", flat=True) == ["650000"]


async def test_a_failing_hook_is_retried_and_logged_never_raised(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="service.usecases.unit_of_work")
    services.after_commit.first_delay = 0.01
    attempts: list[int] = []

    async def flaky() -> None:
        attempts.append(1)
        if len(attempts) < 3:
            raise ConnectionError("cache down")

    async with services.unit_of_work() as uow:
        await add_region("650000")
        uow.after_commit("flaky", flaky)
    assert await Region.all().count() == 1
    assert services.after_commit.retrying == 1
    await services.after_commit.drain()
    assert len(attempts) == 3
    assert "after-commit hook 'flaky' succeeded on try 3" in caplog.text


async def test_a_hook_that_never_succeeds_is_given_up_with_an_error(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    services.after_commit.first_delay = 0.001
    services.after_commit.give_up_after = 0.05

    async def broken() -> None:
        raise ConnectionError("cache gone")

    async with services.unit_of_work() as uow:
        uow.after_commit("broken", broken)
    await services.after_commit.drain()
    given_up = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(given_up) == 1
    tries = re.fullmatch(r"after-commit hook 'broken' failed (\d+) times; given up", given_up[0])
    assert tries is not None, given_up
    assert int(tries.group(1)) >= 3  # retried, with growing waits, until the time ran out
    assert services.after_commit.retrying == 0
