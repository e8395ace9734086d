"""Files for upload tests, made in memory."""

from io import BytesIO

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


def pdf(body=b"1 0 obj << /Type /Catalog >> endobj\n") -> SimpleUploadedFile:
    return upload(b"%PDF-1.4\n" + body + b"trailer\n%%EOF\n", "plan.pdf", "application/pdf")
