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


# The actions a link, bookmark or form event may keep: moves inside the document, layers,
# page transitions and web or mail addresses. Anything else is dropped, in particular what
# runs by itself or reaches outside the file (scripts, programs, other files and shares,
# which leak Windows password hashes as BadPDF does, form posts, media players, 3D views)
# and /Hide, which shows or hides fields the way a script would.
SAFE_ACTIONS = {"/GoTo", "/GoToDp", "/URI", "/Named", "/SetOCGState", "/Trans"}
STANDARD_NAMED_ACTIONS = {"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"}
# Found anywhere else (a tree nothing else names, a named destination), these are removed.
UNSAFE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/GoToR",
    "/GoToE",
    "/Thread",
    "/GoTo3DView",
    "/SubmitForm",
    "/ImportData",
    "/ResetForm",
    "/Hide",
    "/Rendition",
    "/Movie",
    "/Sound",
    "/RichMediaExecute",
}
SAFE_URI_SCHEMES = (b"http://", b"https://", b"mailto:")
ACTION_KEYS = {"/A", "/PA", "/Next"}  # keys whose value is an action (or, for /Next, a list)
# Keys removed from every dictionary: scripts, automatic openings and actions (/AA: on a
# page's opening, the mouse over a field... even a web link there would tell a server that
# the document was opened, with no click), embedded and associated files, rich media (Flash
# and its assets) and the scripts of 3D artwork.
STRIPPED_KEYS = {
    "/JS",
    "/OpenAction",
    "/AA",
    "/EF",
    "/AF",
    "/RichMediaContent",
    "/RichMediaSettings",
    "/OnInstantiate",
}
# Keys of a stream dictionary that take its data from another file, or a page of one.
EXTERNAL_STREAM_KEYS = {"/F", "/FFilter", "/FDecodeParms", "/Ref"}
LONGEST_WALK = 1000  # objects followed from one action before calling it unsafe


def _is_safe_uri(uri) -> bool:
    """Whether `uri` is an absolute web or mail address, read the way browsers read it:
    spaces and control characters around it and tabs and line breaks within it ignored."""
    if not isinstance(uri, pikepdf.String):
        return False
    address = bytes(uri).strip(bytes(range(0x21)))
    address = address.replace(b"\t", b"").replace(b"\n", b"").replace(b"\r", b"")
    return address.lower().startswith(SAFE_URI_SCHEMES)


def _is_safe_action(action) -> bool:
    kind = action.get("/S")
    if not isinstance(kind, pikepdf.Name) or str(kind) not in SAFE_ACTIONS:
        return False
    if kind == pikepdf.Name.URI:
        return _is_safe_uri(action.get("/URI"))
    if kind == pikepdf.Name.Named:
        return str(action.get("/N", "")) in STANDARD_NAMED_ACTIONS
    return True


def _is_unsafe(action) -> bool:
    """Whether an action, or one it leads to through /Next, is not a safe one; an action
    chain too long or too tangled to follow counts as unsafe.

    Only dictionaries with an /S are actions: the same keys also hold an outline's next
    bookmark (/Next) and a structure element's attributes (/A), which the sweep looks into
    like anything else."""
    stack, seen = [action], set()
    for _step in range(LONGEST_WALK):
        if not stack:
            return False
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
            continue
        if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        if not _is_safe_action(node):
            return True
        if "/Next" in node:
            stack.append(node["/Next"])
    return True


def _must_go(value) -> bool:
    """Whether `value`, met outside the places actions belong, is an embedded file or an
    unsafe action to remove."""
    if not isinstance(value, pikepdf.Dictionary | pikepdf.Stream):
        return False
    if value.get("/Type") == pikepdf.Name.EmbeddedFile:
        return True
    if value.get("/Type") == pikepdf.Name.Action:
        return not _is_safe_action(value)
    kind = value.get("/S")
    if kind == pikepdf.Name.URI and "/URI" in value:
        return not _is_safe_uri(value.URI)
    return isinstance(kind, pikepdf.Name) and str(kind) in UNSAFE_ACTIONS


def _sweep(pdf: pikepdf.Pdf) -> None:
    """Every object the saved file will hold, reached from the trailer once each (inline
    dictionaries and arrays included): unsafe actions, scripts and embedded files out.

    A reference to an unsafe action is removed where it is: the key of a dictionary, or the
    entry of an array, which becomes an empty dictionary so that name trees stay in pairs.
    qpdf writes only what the trailer reaches, so an object no longer referenced is gone."""
    stack, seen = [pdf.trailer], set()

    def follow(value) -> None:
        if not isinstance(value, pikepdf.Dictionary | pikepdf.Stream | pikepdf.Array):
            return
        if value.is_indirect:
            if value.objgen in seen:
                return
            seen.add(value.objgen)
        stack.append(value)

    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            for index, item in enumerate(node):
                if _must_go(item):
                    node[index] = pikepdf.Dictionary()
                else:
                    follow(item)
            continue
        is_stream = isinstance(node, pikepdf.Stream)
        for key in list(node.keys()):
            if key == "/Encrypt":
                continue  # the trailer's, which qpdf handles itself
            if key in STRIPPED_KEYS or (is_stream and key in EXTERNAL_STREAM_KEYS):
                del node[key]
            elif key in ACTION_KEYS:
                if _is_unsafe(node[key]) or _must_go(node[key]):
                    del node[key]
                else:
                    follow(node[key])
            elif _must_go(node[key]):
                del node[key]
            else:
                follow(node[key])


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
    if isinstance(form, pikepdf.Dictionary) and "/XFA" in form:
        del form["/XFA"]  # an XML form with its own scripts
    for page in pdf.pages:
        for key in ("/AA", "/AF"):
            if key in page.obj:
                del page.obj[key]
        annotations = page.obj.get("/Annots")
        if isinstance(annotations, pikepdf.Array):
            page.obj.Annots = pikepdf.Array(
                annotation
                for annotation in annotations
                if not (
                    isinstance(annotation, pikepdf.Dictionary)
                    and annotation.get("/Subtype") == pikepdf.Name.FileAttachment
                )
            )
    # Fields missing from /Fields, bookmarks reached only through /Last, named destinations
    # and any tree this function does not name: the sweep sees them all.
    _sweep(pdf)


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
