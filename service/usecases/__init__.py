"""Operations of the service, each in one transaction. They take a `Services` and a
`Principal`, enforce role and jurisdiction, and raise only `DomainError`s."""
