"""The certificate state machine, validity and numbering: pure rules, no database."""

from datetime import date

import pytest

from service.domain.certificates import (
    LIFECYCLE,
    CancelReason,
    CertificateRules,
    CertificateStatus,
    add_months,
    effective_status,
    transition,
    validate_categories,
)
from service.domain.checksum import mod11_2
from service.domain.errors import Conflict, InvalidInput
from service.domain.events import EventAction
from service.domain.numbering import format_number, number_prefix, parse_number

Status, Act = CertificateStatus, EventAction

# Every state x action: the resulting state, or None where the machine refuses.
EXPECTED: dict[CertificateStatus, dict[EventAction, CertificateStatus | None]] = {
    Status.PENDING: {Act.ISSUE: Status.ACTIVE, Act.CANCEL: Status.CANCELLED},
    Status.ACTIVE: {
        Act.SUSPEND: Status.SUSPENDED,
        Act.REVOKE: Status.REVOKED,
        Act.CANCEL: Status.CANCELLED,
        Act.REISSUE: Status.VOID,
        Act.RENEW: Status.VOID,
        Act.EXPIRE: Status.EXPIRED,
        Act.REVIEW: Status.ACTIVE,
    },
    Status.SUSPENDED: {
        Act.REINSTATE: Status.ACTIVE,
        Act.REVOKE: Status.REVOKED,
        Act.CANCEL: Status.CANCELLED,
        Act.EXPIRE: Status.EXPIRED,
    },
    Status.REVOKED: {},
    Status.CANCELLED: {},
    Status.EXPIRED: {},
    Status.VOID: {},
}
TABLE = [
    (status, action, EXPECTED[status].get(action))
    for status in CertificateStatus
    for action in EventAction  # the officer's record actions are refused too
]


@pytest.mark.parametrize(("status", "action", "result"), TABLE)
def test_transition_table(
    status: CertificateStatus, action: EventAction, result: CertificateStatus | None
) -> None:
    if result is not None:
        assert transition(status, action) is result
        return
    with pytest.raises(Conflict) as refused:
        transition(status, action)
    assert refused.value.code == "certificate.invalid_transition"
    assert refused.value.extra == {"from_status": str(status), "action": str(action)}


def test_terminal_states_allow_nothing() -> None:
    for status in CertificateStatus:
        allowed = [a for a in LIFECYCLE if EXPECTED[status].get(a)]
        assert (not allowed) == status.is_terminal


def test_every_status_and_cancel_reason_has_a_chinese_label() -> None:
    assert [s.label for s in CertificateStatus] == [
        "申领中", "有效", "暂扣", "已吊销", "已注销", "已过期", "已作废"
    ]  # fmt: skip
    assert CancelReason.DECEASED.label == "死亡"


def test_five_years_validity_ends_the_day_before_the_anniversary() -> None:
    rules = CertificateRules()
    assert rules.valid_until(date(2026, 3, 1)) == date(2031, 2, 28)
    assert rules.valid_until(date(2028, 2, 29)) == date(2033, 2, 27)
    assert CertificateRules(validity_years=6).valid_until(date(2026, 1, 1)) == date(2031, 12, 31)


def test_add_months_clamps_to_the_end_of_a_short_month() -> None:
    assert add_months(date(2026, 8, 31), -6) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_expired_certificate_never_reads_active() -> None:
    last_day = date(2026, 11, 22)
    assert effective_status(Status.ACTIVE, last_day, None, date(2026, 11, 22)) is Status.ACTIVE
    assert effective_status(Status.ACTIVE, last_day, None, date(2026, 11, 23)) is Status.EXPIRED
    assert effective_status(Status.SUSPENDED, last_day, None, date(2026, 11, 23)) is Status.EXPIRED
    assert effective_status(Status.REVOKED, last_day, None, date(2026, 11, 23)) is Status.REVOKED


def test_suspension_with_an_end_date_lapses_after_it() -> None:
    until = date(2026, 12, 31)
    valid = date(2030, 1, 1)
    assert effective_status(Status.SUSPENDED, valid, until, date(2026, 12, 31)) is Status.SUSPENDED
    assert effective_status(Status.SUSPENDED, valid, until, date(2027, 1, 1)) is Status.ACTIVE
    assert effective_status(Status.SUSPENDED, valid, None, date(2029, 1, 1)) is Status.SUSPENDED


def test_number_has_sixteen_characters_with_a_mod11_2_check() -> None:
    prefix = number_prefix("653123", "03", 2026)
    assert prefix == "6531230326"
    number = format_number(prefix, 17)
    assert len(number) == 16
    assert number[:15] == "653123032600017"
    assert number[15] == mod11_2("653123032600017")
    assert parse_number(number.lower()) == number


def test_township_region_is_cut_to_its_county_in_the_number() -> None:
    assert number_prefix("653123100", "17", 2031) == "6531231731"


def test_mistyped_number_is_refused_before_lookup() -> None:
    good = format_number("6531230326", 17)
    wrong_check = good[:15] + ("0" if good[15] != "0" else "1")
    swapped = good[:10] + good[11] + good[10] + good[12:]
    for bad in (wrong_check, "", swapped, "12345", "6531-2303 26a?", "新" * 33, "x" + "\u200b" * 6):
        if bad == good:
            continue
        with pytest.raises(InvalidInput) as refused:
            parse_number(bad)
        assert refused.value.code == "certificate.bad_number"


def test_legacy_numbers_are_taken_as_printed() -> None:
    # Numbers issued before the service: digits, capitals, '-' and Chinese characters.
    for printed in ("新A2019-00123", "65312319000123", "XJ-KS-0001", "陕执0012345"):
        assert parse_number(printed) == printed
    assert parse_number(" xj-ks 0001 ") == "XJ-KS0001"
    # One character short or long of ours is not ours: looked up as printed (and not found).
    good = format_number("6531230326", 17)
    assert parse_number(good[:15]) == good[:15]
    assert parse_number(good + "1") == good + "1"


def test_sequence_runs_out_at_99999() -> None:
    assert format_number("6531230326", 99_999).startswith("653123032699999")
    with pytest.raises(Conflict) as refused:
        format_number("6531230326", 100_000)
    assert refused.value.code == "certificate.numbers_exhausted"


def test_categories_are_cleaned_and_bounded() -> None:
    assert validate_categories([" 市场  监管 ", "食品安全", "食品安全"]) == [
        "市场 监管",
        "食品安全",
    ]
    for bad in ([], [""], ["x" * 51], [str(i) for i in range(21)]):
        with pytest.raises(InvalidInput):
            validate_categories(bad)
