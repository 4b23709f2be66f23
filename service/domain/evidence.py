"""Evidence of external training: a PDF or an image, recognised by its content."""

from __future__ import annotations

from service.domain.errors import InvalidInput, TooLarge

# Leading bytes of each accepted type, and the extension it is stored under.
_SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
MEDIA_TYPES = tuple(mime for _, mime, _ in _SIGNATURES)


def sniff(content: bytes, *, max_bytes: int) -> tuple[str, str]:
    """(media type, extension) of an acceptable evidence file, whatever its name or the
    type the client claimed. Raises TooLarge `claim.evidence_too_large` or InvalidInput
    `claim.bad_evidence`."""
    if len(content) > max_bytes:
        raise TooLarge(
            f"The evidence file is larger than {max_bytes // 1_000_000} MB.",
            code="claim.evidence_too_large",
            field="evidence",
        )
    for magic, mime, extension in _SIGNATURES:
        if content.startswith(magic):
            return mime, extension
    raise InvalidInput(
        "Evidence must be a PDF, PNG or JPEG file.", code="claim.bad_evidence", field="evidence"
    )
