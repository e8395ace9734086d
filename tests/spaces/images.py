"""Files for upload tests, made in memory."""

from io import BytesIO

import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(fmt="JPEG", size=(640, 480), colour="#c8a46e", **save) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def upload(content: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg(**kwargs) -> SimpleUploadedFile:
    return upload(image_bytes(**kwargs))


def pdf_bytes(pages=1, build=None, **save) -> bytes:
    """A PDF of blank pages; `build(document)` may add to it before it is saved."""
    document = pikepdf.new()
    for _page in range(pages):
        document.add_blank_page()
    if build:
        build(document)
    buffer = BytesIO()
    document.save(buffer, **save)
    return buffer.getvalue()


def pdf(pages=1, build=None, **save) -> SimpleUploadedFile:
    return upload(pdf_bytes(pages, build, **save), "plan.pdf", "application/pdf")
