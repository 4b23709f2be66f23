"""Operations of the service, the one way the adapters (the staff API, the officers'
API, the admin, the CLI) change or read anything.

A use case takes the caller's `Principal` when it acts for someone, and `Services` when
it needs settings, the clock, the codecs, the cache or a unit of work; it checks the
role and the jurisdiction, writes inside one unit of work (`unit_of_work`), and raises
only `DomainError`s, each with a stable code.
"""
