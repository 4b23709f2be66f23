"""What an uploaded evidence file or an officer's photo must prove before it is kept:
that it is what its first bytes say (`domain.evidence.sniff`), and that it is whole. A
PDF must parse (pypdf); an image must decode completely, within a pixel limit (a PNG can
declare 10000 x 10000 pixels in 100 bytes). The work is CPU-bound: callers run it off the
event loop."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader

from service.domain.errors import InvalidInput, TooLarge
from service.domain.evidence import sniff

MAX_PIXELS = 50_000_000  # a 48-megapixel phone photo passes
MAX_PDF_PAGES = 200


def checked_evidence(content: bytes, *, max_bytes: int) -> tuple[str, str]:
    """(media type, extension) of evidence that is whole. Raises TooLarge
    `claim.evidence_too_large`, InvalidInput `claim.bad_evidence`."""
    mime, extension = sniff(content, max_bytes=max_bytes)
    if mime == "application/pdf":
        _check_pdf(content)
    else:
        _check_image(content)
    return mime, extension


def _refused(why: str) -> InvalidInput:
    return InvalidInput(why, code="claim.bad_evidence", field="evidence")


def _check_pdf(content: bytes) -> None:
    # pypdf raises many kinds of error on a damaged file; any of them means "not a PDF
    # we keep", and none may become a server error.
    try:
        reader = PdfReader(io.BytesIO(content), strict=True)
        pages = len(reader.pages)
        for page in reader.pages[:MAX_PDF_PAGES]:
            page.get_contents()
    except Exception:  # an untrusted file's parser: any failure refuses the file
        raise _refused("The PDF cannot be read: send the document again.") from None
    if not 1 <= pages <= MAX_PDF_PAGES:
        raise _refused(f"A PDF of evidence has 1 to {MAX_PDF_PAGES} pages.")


def _check_image(content: bytes) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise _refused(
                        f"The image has more than {MAX_PIXELS // 1_000_000} million pixels."
                    )
                image.load()  # decodes every byte: a truncated or forged image fails here
    except InvalidInput:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise _refused("The image cannot be read: send the photo again.") from None


PHOTO_BYTES = 5_000_000
PHOTO_BOX = (480, 640)  # at most, width x height: a 3:4 portrait at 300 dpi on the card
_PHOTO_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def portrait(content: bytes) -> bytes:
    """An officer's photo as kept: a JPEG or PNG that decodes whole, turned upright by its
    EXIF orientation, fitted within PHOTO_BOX and saved again as a JPEG with no metadata
    (no camera, no GPS position). CPU-bound: run it off the event loop. Raises TooLarge
    `officer.photo_too_large`, InvalidInput `officer.bad_photo`."""
    if len(content) > PHOTO_BYTES:
        raise TooLarge(
            f"A photo is at most {PHOTO_BYTES // 1_000_000} MB.",
            code="officer.photo_too_large",
            field="photo",
        )
    if not content.startswith(_PHOTO_MAGIC):
        raise _bad_photo("A photo is a JPEG or PNG file.")
    try:
        _check_image(content)
        with Image.open(io.BytesIO(content)) as image:
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except InvalidInput:
        raise _bad_photo("The photo cannot be read: send it again.") from None
    except (OSError, SyntaxError, ValueError):
        raise _bad_photo("The photo cannot be read: send it again.") from None
    upright.thumbnail(PHOTO_BOX)
    out = io.BytesIO()
    upright.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def _bad_photo(why: str) -> InvalidInput:
    return InvalidInput(why, code="officer.bad_photo", field="photo")
