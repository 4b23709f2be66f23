from piccolo.apps.user.tables import BaseUser

from service.security.passwords import hash_password, password_problem, verify_password


def test_hash_is_in_piccolo_baseuser_format_and_verifies() -> None:
    stored = hash_password("Zhifa-2026", iterations=1000)
    algorithm, iterations, salt, _digest = stored.split("$")
    assert (algorithm, iterations) == ("pbkdf2_sha256", "1000")
    assert BaseUser.hash_password("Zhifa-2026", salt=salt, iterations=1000) == stored
    assert verify_password("Zhifa-2026", stored)
    assert not verify_password("zhifa-2026", stored)


def test_hash_made_by_piccolo_verifies_here() -> None:
    stored = BaseUser.hash_password("Fayuan-2026!", iterations=1000)
    assert verify_password("Fayuan-2026!", stored)


def test_malformed_stored_hash_never_matches() -> None:
    for stored in ("", "plain-text", "md5$1$a$b", "pbkdf2_sha256$x$salt$ff"):
        assert not verify_password("anything", stored)


def test_weak_passwords_are_explained() -> None:
    assert password_problem("short") is not None
    assert password_problem("x" * 129) is not None
    assert password_problem("653123198803140011", forbidden=("653123198803140011",)) is not None
    assert password_problem("Zhifa-2026") is None
