"""Checks and re-encoding of uploaded files (DESIGN.md §6).

Images are judged by their content, never their name: Pillow must read them, they must be
within the size and pixel limits, and they are re-encoded as JPEG from their pixels alone,
which drops anything appended to them (HTML, scripts) and every metadata segment: comment,
EXIF (GPS position, camera), XMP and colour profile (the colours are converted to sRGB
first). Documents must be PDF files qpdf reads without repairing them; they are stored
without their scripts, automatic actions and embedded files.
"""

from dataclasses import dataclass
from io import BytesIO

import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

ACCEPTED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
LARGEST_SIDE = 1600
THUMBNAIL_SIDE = 480


@dataclass
class ReencodedImage:
    image: ContentFile
    thumbnail: ContentFile


def _megabytes(size: int) -> str:
    return number_format(size / (1024 * 1024), decimal_pos=1)


SRGB = ImageCms.createProfile("sRGB")


def _in_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """The image's colours in sRGB, the profile the re-encoded photo is read in without one.

    A profile that cannot be read, or does not fit the image, is dropped: the colours are
    then shown as they are stored, which is what most viewers do anyway."""
    if not icc_profile:
        return image
    if image.mode not in ("RGB", "RGBA", "L", "CMYK"):
        has_alpha = "A" in image.mode or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    try:
        source = ImageCms.ImageCmsProfile(BytesIO(icc_profile))
        output = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, SRGB, outputMode=output)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image holding the pixels and nothing else: Pillow's JPEG writer copies the
    comment of `image.info` into the file, and ImageCms adds the sRGB profile to it."""
    return Image.frombytes(image.mode, image.size, image.tobytes())


def _jpeg(image: Image.Image, side: int, quality: int) -> ContentFile:
    copy = _pixels_only(image)
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    buffer = BytesIO()
    # No comment, EXIF, XMP or ICC segment: only the JFIF header libjpeg writes.
    copy.save(buffer, format="JPEG", quality=quality, optimize=True, progressive=True, comment=b"")
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
            icc_profile = opened.info.get("icc_profile")
            image = _in_srgb(ImageOps.exif_transpose(opened), icc_profile)
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


# Actions a document may run by itself, or that reach outside it (other files, programs,
# servers, media players); links to a page or a web address stay.
UNSAFE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/ResetForm",
    "/Rendition",
    "/GoToE",
    "/Movie",
    "/Sound",
    "/RichMediaExecute",
}
LONGEST_WALK = 1000  # objects followed from one action before calling it unsafe


def _is_unsafe(action) -> bool:
    """Whether an action, or one it leads to through /Next, is unsafe; an action chain too
    long or too tangled to follow counts as unsafe."""
    stack, seen = [action], set()
    for _step in range(LONGEST_WALK):
        if not stack:
            return False
        node = stack.pop()
        if not isinstance(node, pikepdf.Object):
            continue  # a number or a boolean where an action should be
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary | pikepdf.Stream):
            if str(node.get("/S", "")) in UNSAFE_ACTIONS:
                return True
            if "/Next" in node:
                stack.append(node["/Next"])
    return True


def _drop_unsafe_actions(holder) -> None:
    """Remove the unsafe /A action and /AA events of an annotation, field or bookmark."""
    if not isinstance(holder, pikepdf.Dictionary):
        return
    if "/A" in holder and _is_unsafe(holder["/A"]):
        del holder["/A"]
    events = holder.get("/AA")
    if isinstance(events, pikepdf.Dictionary):
        for event in list(events.keys()):
            if _is_unsafe(events[event]):
                del events[event]
    if "/AA" in holder and not (isinstance(events, pikepdf.Dictionary) and events.keys()):
        del holder["/AA"]


def _tree(first, *links: str):
    """Every dictionary reached from `first` (one, or an array of them) through the `links`
    keys, each once."""
    stack, seen = [first], set()
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Object) or node.objgen in seen:
            continue
        if node.is_indirect:
            seen.add(node.objgen)
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary):
            yield node
            stack.extend(node[link] for link in links if link in node)


def _strip_active_content(pdf: pikepdf.Pdf) -> None:
    """Scripts, automatic actions, unsafe actions and embedded files out of `pdf`."""
    root = pdf.Root
    for key in ("/OpenAction", "/AA", "/AF", "/Collection"):
        if key in root:
            del root[key]
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        for key in ("/JavaScript", "/EmbeddedFiles"):
            if key in names:
                del names[key]
    form = root.get("/AcroForm")
    if isinstance(form, pikepdf.Dictionary):
        if "/XFA" in form:
            del form["/XFA"]  # an XML form with its own scripts
        for field in _tree(form.get("/Fields"), "/Kids"):
            _drop_unsafe_actions(field)
    if isinstance(root.get("/Outlines"), pikepdf.Dictionary):
        for bookmark in _tree(root.Outlines.get("/First"), "/First", "/Next"):
            _drop_unsafe_actions(bookmark)
    for page in pdf.pages:
        for key in ("/AA", "/AF"):
            if key in page.obj:
                del page.obj[key]
        annotations = page.obj.get("/Annots")
        if isinstance(annotations, pikepdf.Array):
            kept = [
                annotation
                for annotation in annotations
                if not (
                    isinstance(annotation, pikepdf.Dictionary)
                    and annotation.get("/Subtype") == pikepdf.Name.FileAttachment
                )
            ]
            for annotation in kept:
                _drop_unsafe_actions(annotation)
            page.obj.Annots = pikepdf.Array(kept)
    # An unsafe action anywhere else (a tree this walk does not know) is emptied.
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and str(obj.get("/S", "")) in UNSAFE_ACTIONS:
            for key in list(obj.keys()):
                del obj[key]


def clean_pdf(upload) -> ContentFile:
    """The uploaded PDF without its scripts, automatic or unsafe actions, embedded files and
    XML form, saved again by qpdf: the file to store.

    Raises ValidationError with a message for the person when the file is too big, is not a
    PDF, is damaged (qpdf would have to repair it), needs a password or has no pages."""
    limit = settings.SPACE_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("This document weighs %(size)s MB; the limit is %(limit)s MB."),
            code="too_big",
            params={"size": _megabytes(upload.size), "limit": _megabytes(limit)},
        )
    upload.seek(0)
    raw = upload.read()
    upload.seek(0)
    if b"%PDF-" not in raw[:1024]:
        raise ValidationError(
            _("This file is not a PDF document. Save it as PDF and send it again."),
            code="not_a_pdf",
        )
    damaged = ValidationError(
        _("This PDF document is incomplete or damaged. Save it again and send it."),
        code="damaged_pdf",
    )
    buffer = BytesIO()
    try:
        # No recovery: a file qpdf can only read by rebuilding it is refused, not guessed at.
        with pikepdf.open(BytesIO(raw), attempt_recovery=False) as pdf:
            if len(pdf.pages) == 0:
                raise ValidationError(
                    _("This PDF document has no pages. Save it again and send it."),
                    code="empty_pdf",
                )
            _strip_active_content(pdf)
            # Streams are copied as they are, never unpacked: a small file cannot make the
            # server inflate gigabytes.
            pdf.save(buffer, stream_decode_level=pikepdf.StreamDecodeLevel.none)
            if pdf.get_warnings():
                raise damaged  # qpdf read past damage on its way
    except pikepdf.PasswordError:
        raise ValidationError(
            _(
                "This PDF document is protected by a password. Save it without the password "
                "and send it again."
            ),
            code="encrypted_pdf",
        ) from None
    except (pikepdf.PdfError, RuntimeError, ValueError, TypeError, KeyError):
        raise damaged from None
    return ContentFile(buffer.getvalue(), name="document.pdf")
