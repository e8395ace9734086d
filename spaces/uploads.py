"""Checks and re-encoding of uploaded files (DESIGN.md §6).

Images are judged by their content, never their name: Pillow must read them, they must be
within the size and pixel limits, and they are re-encoded as JPEG, which drops anything
appended to them (HTML, scripts) and every metadata field (GPS position, camera). Documents
must be real PDF files.
"""

from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
LARGEST_SIDE = 1600
THUMBNAIL_SIDE = 480


@dataclass
class ReencodedImage:
    image: ContentFile
    thumbnail: ContentFile


def _megabytes(size: int) -> str:
    return number_format(size / (1024 * 1024), decimal_pos=1)


def _jpeg(image: Image.Image, side: int, quality: int) -> ContentFile:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    buffer = BytesIO()
    copy.save(buffer, format="JPEG", quality=quality, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def reencode_image(upload) -> ReencodedImage:
    """A clean JPEG (at most 1600 px a side) and a 480 px thumbnail of an uploaded image.

    Raises ValidationError with a message for the person when the file is too big, too
    large in pixels, or not an image."""
    limit = settings.SPACE_PHOTO_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("This photo weighs %(size)s MB; the limit is %(limit)s MB."),
            code="too_big",
            params={"size": _megabytes(upload.size), "limit": _megabytes(limit)},
        )
    not_an_image = ValidationError(
        _("This file is not a photo the portal can read. Send a JPEG, PNG or WebP image."),
        code="not_an_image",
    )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ACCEPTED_IMAGE_FORMATS:
                raise not_an_image
            width, height = probe.size
            if width * height > settings.SPACE_PHOTO_MAX_PIXELS:
                raise ValidationError(
                    _(
                        "This photo is %(width)s × %(height)s pixels; the limit is %(limit)s "
                        "million pixels."
                    ),
                    code="too_many_pixels",
                    params={
                        "width": width,
                        "height": height,
                        "limit": settings.SPACE_PHOTO_MAX_PIXELS // 1_000_000,
                    },
                )
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened)
            if image.mode not in ("RGB", "L"):
                # Transparent parts become white rather than black.
                background = Image.new("RGB", image.size, "white")
                rgba = image.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                image = background
            else:
                image = image.convert("RGB")
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        # So large that Pillow refuses even to read its header: the same answer as above.
        raise ValidationError(
            _("This photo has too many pixels; the limit is %(limit)s million pixels."),
            code="too_many_pixels",
            params={"limit": settings.SPACE_PHOTO_MAX_PIXELS // 1_000_000},
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_an_image from None
    return ReencodedImage(
        image=_jpeg(image, LARGEST_SIDE, 82), thumbnail=_jpeg(image, THUMBNAIL_SIDE, 75)
    )


def check_pdf(upload) -> None:
    """Refuse a file that is not a complete PDF, or too big, with a message for the person."""
    limit = settings.SPACE_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("This document weighs %(size)s MB; the limit is %(limit)s MB."),
            code="too_big",
            params={"size": _megabytes(upload.size), "limit": _megabytes(limit)},
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(max(upload.size - 2048, 0))
    tail = upload.read()
    upload.seek(0)
    if b"%PDF-" not in head:
        raise ValidationError(
            _("This file is not a PDF document. Save it as PDF and send it again."),
            code="not_a_pdf",
        )
    if b"%%EOF" not in tail:
        raise ValidationError(
            _("This PDF document is incomplete or damaged. Save it again and send it."),
            code="damaged_pdf",
        )
