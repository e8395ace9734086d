from io import BytesIO

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from pikepdf import Array, Dictionary, Name, String
from PIL import Image, ImageCms, PngImagePlugin

from spaces import services
from spaces.uploads import clean_pdf, reencode_image
from tests.spaces.images import image_bytes, jpeg, pdf, pdf_bytes, upload

PHONE = b"+212 600 000 000"


def test_a_jpeg_is_re_encoded_with_a_thumbnail():
    clean = reencode_image(jpeg(size=(3000, 2000)))
    full = Image.open(BytesIO(clean.image.read()))
    thumb = Image.open(BytesIO(clean.thumbnail.read()))
    assert (full.format, full.size) == ("JPEG", (1600, 1067))
    assert max(thumb.size) == 480


def test_gps_and_other_metadata_are_dropped():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {2: (28.0, 59.0, 0.0)}  # GPS latitude
    clean = reencode_image(upload(image_bytes(exif=exif.tobytes())))
    assert not Image.open(BytesIO(clean.image.read())).getexif()


def segments(jpeg_bytes: bytes) -> list[tuple[int, bytes]]:
    """The marker segments of a JPEG file, read byte by byte: (marker, payload), with the
    entropy-coded data after each start of scan skipped."""
    assert jpeg_bytes[:2] == b"\xff\xd8"
    found, at = [(0xD8, b"")], 2
    while at < len(jpeg_bytes):
        assert jpeg_bytes[at] == 0xFF, f"no marker at byte {at}"
        while jpeg_bytes[at] == 0xFF:
            at += 1  # fill bytes
        marker = jpeg_bytes[at]
        at += 1
        if marker == 0xD9:
            found.append((marker, b""))
            assert at == len(jpeg_bytes), "bytes after the end of the image"
            break
        length = int.from_bytes(jpeg_bytes[at : at + 2], "big")
        found.append((marker, jpeg_bytes[at + 2 : at + length]))
        at += length
        if marker == 0xDA:  # scan data runs to the next marker that is not FF00 or RSTn
            while not (
                jpeg_bytes[at] == 0xFF
                and jpeg_bytes[at + 1] not in range(0xD0, 0xD8)
                and jpeg_bytes[at + 1] != 0x00
            ):
                at += 1
    return found


# Start and end of image, quantisation and Huffman tables, frame (baseline, extended,
# progressive), scan, restart interval; and APP0, checked below to be JFIF.
ALLOWED_MARKERS = {0xD8, 0xD9, 0xDB, 0xC4, 0xC0, 0xC1, 0xC2, 0xDA, 0xDD, 0xE0}


def assert_no_metadata(jpeg_bytes: bytes) -> None:
    found = segments(jpeg_bytes)
    assert {marker for marker, _payload in found} <= ALLOWED_MARKERS
    assert [payload[:5] for marker, payload in found if marker == 0xE0] == [b"JFIF\x00"]
    assert PHONE not in jpeg_bytes and b"600 000 000" not in jpeg_bytes


def exif_with_phone_and_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x010E] = PHONE.decode()  # image description
    exif[0x8825] = {1: "N", 2: (28.0, 59.0, 0.0)}  # GPS latitude
    return exif.tobytes()


XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:description>%s</dc:description></x:xmpmeta>' % PHONE
ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def with_metadata(fmt: str) -> bytes:
    """A photo holding a phone number in every metadata field its format has."""
    save = {"exif": exif_with_phone_and_gps(), "icc_profile": ICC}
    if fmt == "JPEG":
        save |= {"comment": PHONE, "xmp": XMP}
    elif fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", PHONE.decode())
        text.add_itxt("XML:com.adobe.xmp", XMP.decode())
        save |= {"pnginfo": text}
    else:
        save |= {"xmp": XMP}
    return image_bytes(fmt, **save)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_the_photo_and_its_thumbnail_carry_no_metadata_segment(fmt):
    raw = with_metadata(fmt)
    assert PHONE in raw  # the source does hold it
    clean = reencode_image(upload(raw, f"photo.{fmt.lower()}", f"image/{fmt.lower()}"))
    assert_no_metadata(clean.image.read())
    assert_no_metadata(clean.thumbnail.read())


def test_a_jpeg_comment_set_by_a_phone_is_not_published():
    photo = reencode_image(upload(image_bytes(comment=PHONE))).image.read()
    assert "comment" not in Image.open(BytesIO(photo)).info
    assert_no_metadata(photo)


def test_a_photo_with_a_colour_profile_keeps_its_colours():
    clean = reencode_image(upload(image_bytes(icc_profile=ICC, colour="#c8a46e")))
    red, green, blue = Image.open(BytesIO(clean.image.read())).getpixel((10, 10))
    assert abs(red - 0xC8) + abs(green - 0xA4) + abs(blue - 0x6E) < 12


@pytest.mark.parametrize("mode", ["L", "CMYK", "P"])
def test_a_profile_that_does_not_fit_the_photo_is_dropped(mode):
    buffer = BytesIO()
    Image.new(mode, (64, 64)).save(buffer, format="JPEG" if mode != "P" else "PNG", icc_profile=ICC)
    clean = reencode_image(upload(buffer.getvalue()))
    assert_no_metadata(clean.image.read())


def test_html_appended_to_a_png_does_not_survive():
    evil = image_bytes("PNG") + b"<html><script>alert(1)</script></html>"
    clean = reencode_image(upload(evil, "photo.png", "image/png"))
    assert b"<script>" not in clean.image.read()


def test_a_text_file_renamed_jpg_is_refused_with_a_reason():
    with pytest.raises(ValidationError) as error:
        reencode_image(upload(b"just some text, not a picture\n" * 10))
    assert error.value.code == "not_an_image"


def test_a_truncated_jpeg_is_refused():
    with pytest.raises(ValidationError) as error:
        reencode_image(upload(image_bytes()[:200]))
    assert error.value.code == "not_an_image"


def test_an_oversized_photo_is_refused_before_it_is_read(settings):
    settings.SPACE_PHOTO_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        reencode_image(jpeg(size=(800, 800)))
    assert error.value.code == "too_big"


def test_a_photo_with_too_many_pixels_is_refused(settings):
    settings.SPACE_PHOTO_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError) as error:
        reencode_image(upload(image_bytes("PNG", size=(2000, 1000))))
    assert error.value.code == "too_many_pixels"


def test_a_gif_is_not_among_the_accepted_formats():
    with pytest.raises(ValidationError) as error:
        reencode_image(upload(image_bytes("GIF"), "anim.gif", "image/gif"))
    assert error.value.code == "not_an_image"


def test_an_image_too_large_for_pillow_to_open_gets_the_pixel_message(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ValidationError) as error:
        reencode_image(upload(image_bytes("PNG", size=(100, 100))))
    assert error.value.code == "too_many_pixels"


def test_a_transparent_png_gets_a_white_background():
    buffer = BytesIO()
    Image.new("RGBA", (100, 100), (0, 0, 0, 0)).save(buffer, format="PNG")
    clean = reencode_image(upload(buffer.getvalue(), "logo.png", "image/png"))
    assert Image.open(BytesIO(clean.image.read())).getpixel((50, 50))[0] > 240


def test_a_real_pdf_passes():
    with pikepdf.open(BytesIO(clean_pdf(pdf(pages=3)).read())) as stored:
        assert len(stored.pages) == 3


def refusal(content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        clean_pdf(upload(content, "plan.pdf", "application/pdf"))
    return error.value


def wrong_offset(raw: bytes) -> bytes:
    """The same PDF with its cross-reference table announced at the wrong place: qpdf could
    only read it by rebuilding the table."""
    head, tail = raw.rsplit(b"startxref\n", 1)
    offset = int(tail.split(b"\n", 1)[0])
    return head + b"startxref\n" + str(offset + 7).encode() + b"\n%%EOF\n"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"<html>not a pdf</html>", "not_a_pdf"),
        (image_bytes(), "not_a_pdf"),
        (b"%PDF-1.7\n<html><script>alert(1)</script></html>\ntrailer\n%%EOF\n", "damaged_pdf"),
        (b"%PDF-1.7\n1 0 obj <<>> endobj\n", "damaged_pdf"),
        (pdf_bytes(pages=2)[:-300], "damaged_pdf"),
        (wrong_offset(pdf_bytes()), "damaged_pdf"),
        (pdf_bytes(encryption=pikepdf.Encryption(owner="o", user="secret")), "encrypted_pdf"),
        (pdf_bytes(pages=0), "empty_pdf"),
    ],
    ids=[
        "html",
        "jpeg",
        "html-behind-a-pdf-header",
        "no-xref",
        "truncated",
        "repaired",
        "password",
        "no-pages",
    ],
)
def test_anything_but_a_readable_pdf_with_pages_is_refused(content, code):
    assert refusal(content).code == code


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (pdf_bytes()[:500], "incomplete or damaged"),
        (pdf_bytes(encryption=pikepdf.Encryption(owner="o", user="secret")), "password"),
        (pdf_bytes(pages=0), "no pages"),
    ],
)
def test_a_refused_pdf_is_explained_to_the_person(content, words):
    with translation.override("en"):
        assert words in " ".join(refusal(content).messages)


def test_a_pdf_protected_only_against_editing_is_stored_without_its_protection():
    raw = pdf_bytes(encryption=pikepdf.Encryption(owner="owner", user=""))
    with pikepdf.open(BytesIO(clean_pdf(upload(raw)).read())) as stored:
        assert not stored.is_encrypted and len(stored.pages) == 1


def script(text="app.alert('+212 600 000 000')") -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String(text))


def annotation(document, subtype, **entries):
    return document.make_indirect(
        Dictionary(Type=Name.Annot, Subtype=subtype, Rect=[0, 0, 50, 50], **entries)
    )


def active_content(document) -> None:
    """Scripts and automatic actions in every place the audit named, and a web link."""
    root, page = document.Root, document.pages[0].obj
    root.OpenAction = document.make_indirect(script())
    root.AA = Dictionary(WC=script())  # before the document closes
    root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("start"), script()])))
    root.AcroForm = Dictionary(Fields=Array([]), XFA=document.make_stream(b"<xdp/>"))
    document.attachments["contacts.txt"] = pikepdf.AttachedFileSpec(document, PHONE)
    page.AA = Dictionary(O=script())  # when the page opens

    def web(**entries):
        return Dictionary(S=Name.URI, URI=String("https://artisanat.gov.ma/"), **entries)

    page.Annots = Array(
        [
            annotation(document, Name.Link, A=script()),
            annotation(document, Name.Link, A=Dictionary(S=Name.Launch, F=String("cmd.exe"))),
            annotation(document, Name.Link, A=web(Next=script())),
            annotation(document, Name.Widget, AA=Dictionary(E=script(), X=web())),
            annotation(
                document,
                Name.FileAttachment,
                FS=pikepdf.AttachedFileSpec(document, PHONE).obj,
            ),
            annotation(document, Name.Link, A=web()),
        ]
    )
    widget = page.Annots[3]
    root.AcroForm.Fields.append(
        document.make_indirect(
            Dictionary(T=String("f"), Kids=Array([widget]), AA=Dictionary(K=script()))
        )
    )
    root.Outlines = document.make_indirect(Dictionary(Type=Name.Outlines))
    bookmark = document.make_indirect(
        Dictionary(Title=String("1"), Parent=root.Outlines, A=script())
    )
    root.Outlines.First = root.Outlines.Last = bookmark


def assert_inert(raw: bytes) -> None:
    assert b"JavaScript" not in raw and b"app.alert" not in raw and PHONE not in raw
    with pikepdf.open(BytesIO(raw)) as stored:
        assert len(stored.pages) == 2
        assert not {"/OpenAction", "/AA"} & set(stored.Root.keys())
        assert not {"/JavaScript", "/EmbeddedFiles"} & set(stored.Root.Names.keys())
        assert "/XFA" not in stored.Root.AcroForm and not stored.attachments
        page = stored.pages[0].obj
        assert "/AA" not in page
        subtypes = [str(a.Subtype) for a in page.Annots]
        assert "/FileAttachment" not in subtypes and len(subtypes) == 5
        actions = [a.get("/A") for a in page.Annots]
        # Only the plain web link keeps its action: a link chained to a script loses it.
        assert [str(a.S) for a in actions if a is not None] == ["/URI"]
        assert "/A" not in page.Annots[2]
        assert "/AA" not in page.Annots[3]  # even a web link, opened with no click
        for obj in stored.objects:
            if isinstance(obj, Dictionary):
                assert "/JS" not in obj and obj.get("/S") not in (Name.JavaScript, Name.Launch)


@pytest.mark.django_db
def test_a_stored_pdf_keeps_its_pages_and_loses_its_scripts_actions_and_files(space_a, users):
    document = services.add_document(
        space_a.pk,
        actor=users("president_a"),
        upload=pdf(pages=2, build=active_content),
        title="Plan",
    )
    with document.file.open("rb") as stored:
        raw = stored.read()
    assert document.size == len(raw)
    assert_inert(raw)


@pytest.mark.django_db
def test_a_pdf_sent_through_the_page_is_stored_clean(client_as, space_a):
    response = client_as("president_a").post(
        f"/fr/spaces/{space_a.pk}/documents/add/",
        {"file": pdf(pages=2, build=active_content), "title": "Plan"},
    )
    assert response.status_code == 302
    with space_a.documents.latest("pk").file.open("rb") as stored:
        assert_inert(stored.read())


@pytest.mark.django_db
def test_a_pdf_behind_a_password_is_explained_on_the_page(client_as, space_a):
    raw = pdf_bytes(encryption=pikepdf.Encryption(owner="o", user="secret"))
    response = client_as("president_a").post(
        f"/fr/spaces/{space_a.pk}/documents/add/",
        {"file": upload(raw, "plan.pdf", "application/pdf"), "title": "Plan"},
    )
    assert response.status_code == 400
    assert response.context["document_form"].errors["file"]
    assert space_a.documents.count() == 1


def test_an_action_chain_looping_on_itself_is_dropped():
    def loop(document):
        action = document.make_indirect(Dictionary(S=Name.URI, URI=String("https://a.ma/")))
        action.Next = action
        document.pages[0].obj.Annots = Array([annotation(document, Name.Link, A=action)])

    with pikepdf.open(BytesIO(clean_pdf(pdf(build=loop)).read())) as stored:
        assert "/A" in stored.pages[0].Annots[0]  # a loop of links is harmless


UNC = "\\\\attacker\\share\\x.pdf"
SECRET = b"SECRET-ATTACHMENT"
FORBIDDEN_NAMES = {"/JS", "/JavaScript", "/Launch", "/GoToR", "/EmbeddedFile", "/EF"}
FORBIDDEN_TEXT = (b"javascript:", b"file:", UNC.encode(), SECRET.lower(), b"app.alert")


def every_value(document):
    """Every object, key and value of `document`: its indirect objects and what they hold
    inline, however deep."""
    stack = list(document.objects) + [document.trailer]
    while stack:
        value = stack.pop()
        yield value
        if isinstance(value, Array):
            stack.extend(item for item in value if not is_indirect(item))
        elif isinstance(value, Dictionary | pikepdf.Stream):
            for key, item in value.items():
                yield Name(key)
                if not is_indirect(item):
                    stack.append(item)


def is_indirect(value) -> bool:
    return isinstance(value, pikepdf.Object) and value.is_indirect


def assert_nothing_active(raw: bytes) -> None:
    assert not any(text in raw.lower() for text in FORBIDDEN_TEXT)
    with pikepdf.open(BytesIO(raw)) as stored:
        for value in every_value(stored):
            if isinstance(value, Name):
                assert str(value) not in FORBIDDEN_NAMES
            elif isinstance(value, String):
                assert not any(text in bytes(value).lower() for text in FORBIDDEN_TEXT)
            elif isinstance(value, pikepdf.Stream):
                assert not any(text in value.read_bytes().lower() for text in FORBIDDEN_TEXT)


def stored(space, president, build) -> bytes:
    document = services.add_document(
        space.pk, actor=president, upload=pdf(pages=2, build=build), title="Plan"
    )
    with document.file.open("rb") as file:
        return file.read()


def link(document, action):
    return annotation(document, Name.Link, A=action)


def embedded(document) -> Dictionary:
    """A file specification holding a file, as attachments are made."""
    return pikepdf.AttachedFileSpec(document, SECRET, filename="contacts.txt").obj


REACHING_OUT = [
    "/GoToR",
    "/Thread",
    "/GoTo3DView",
    "/Launch",
    "/ImportData",
    "/SubmitForm",
    "/JavaScript",
    "/Rendition",
    "/RichMediaExecute",
    "/Movie",
    "/Sound",
    "/GoToE",
    "/ResetForm",
    "/Hide",
    "/SomethingNew",
]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", REACHING_OUT)
def test_a_link_that_runs_or_reaches_outside_the_document_is_dropped(space_a, users, kind):
    def build(document):
        action = Dictionary(S=Name(kind), F=String(UNC), D=Array([0, Name.Fit]))
        document.pages[0].obj.Annots = Array(
            [link(document, action), link(document, Dictionary(S=Name.GoTo, D=[0, Name.Fit]))]
        )

    raw = stored(space_a, users("president_a"), build)
    assert_nothing_active(raw)
    with pikepdf.open(BytesIO(raw)) as document:
        first, second = document.pages[0].Annots
        assert "/A" not in first and str(second.A.S) == "/GoTo"


@pytest.mark.django_db
def test_a_link_to_a_file_on_a_windows_share_is_dropped(space_a, users):
    def build(document):
        share = Dictionary(Type=Name.Filespec, F=String(UNC), UF=String(UNC))
        document.pages[0].obj.Annots = Array(
            [
                link(document, Dictionary(S=Name.GoToR, F=String(UNC), D=[0, Name.Fit])),
                link(document, document.make_indirect(Dictionary(S=Name.GoToR, F=share))),
            ]
        )

    raw = stored(space_a, users("president_a"), build)
    assert_nothing_active(raw)
    with pikepdf.open(BytesIO(raw)) as document:
        assert not any("/A" in link for link in document.pages[0].Annots)


@pytest.mark.django_db
def test_an_opening_action_chained_to_a_windows_share_is_dropped(space_a, users):
    def build(document):
        remote = Dictionary(S=Name.GoToR, F=String(UNC), D=[0, Name.Fit])
        page = document.pages[1].obj
        document.Root.OpenAction = Dictionary(
            S=Name.GoTo, D=[page, Name.Fit], Next=Array([document.make_indirect(remote)])
        )

    raw = stored(space_a, users("president_a"), build)
    assert_nothing_active(raw)
    with pikepdf.open(BytesIO(raw)) as document:
        assert "/OpenAction" not in document.Root


@pytest.mark.django_db
def test_only_web_and_mail_links_keep_their_address(space_a, users):
    addresses = [
        "javascript:app.alert(1)",
        " \tJavaScript:app.alert(1)",
        "java\nscript:app.alert(1)",
        "file:///C:/Windows/System32/calc.exe",
        "file:" + UNC.replace("\\", "/"),
        "data:text/html,<script>app.alert(1)</script>",
        "smb://attacker/share",
        "relative/page.html",
        "https://artisanat.gov.ma/",
        "mailto:contact@artisanat.gov.ma",
    ]

    def build(document):
        document.pages[0].obj.Annots = Array(
            link(document, Dictionary(S=Name.URI, URI=String(address))) for address in addresses
        )

    raw = stored(space_a, users("president_a"), build)
    assert_nothing_active(raw)
    with pikepdf.open(BytesIO(raw)) as document:
        kept = [str(a.A.URI) for a in document.pages[0].Annots if "/A" in a]
        assert kept == ["https://artisanat.gov.ma/", "mailto:contact@artisanat.gov.ma"]


@pytest.mark.django_db
def test_a_file_embedded_outside_the_attachment_list_is_dropped(space_a, users):
    def build(document):
        remote = Dictionary(S=Name.GoToR, F=embedded(document), D=[0, Name.Fit])
        document.pages[0].obj.Annots = Array([link(document, remote)])
        document.Root.Extra = embedded(document)  # a key of the catalog no reader knows
        document.Root.Extra2 = Dictionary(Files=Array([Dictionary(File=embedded(document))]))
        assets = Dictionary(Names=Array([String("movie.swf"), embedded(document)]))
        document.pages[1].obj.Annots = Array(
            [
                annotation(
                    document,
                    Name.RichMedia,
                    RichMediaContent=Dictionary(Assets=assets),
                    RichMediaSettings=Dictionary(),
                )
            ]
        )

    raw = stored(space_a, users("president_a"), build)
    assert_nothing_active(raw)
    with pikepdf.open(BytesIO(raw)) as document:
        assert "/EF" not in document.Root.Extra and len(document.pages) == 2
        assert "/RichMediaContent" not in document.pages[1].Annots[0]


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore::pikepdf.PageCopyWarning")  # the stray field is the point
def test_an_automatic_action_of_a_field_missing_from_the_form_is_dropped(space_a, users):
    def build(document):
        document.Root.AcroForm = Dictionary(Fields=Array([]))
        field = document.make_indirect(
            Dictionary(T=String("f"), FT=Name.Tx, AA=Dictionary(K=script(), F=script()))
        )
        widget = annotation(document, Name.Widget, Parent=field)
        field.Kids = Array([widget])
        document.pages[0].obj.Annots = Array([widget])

    raw = stored(space_a, users("president_a"), build)
    assert_nothing_active(raw)
    with pikepdf.open(BytesIO(raw)) as document:
        assert "/AA" not in document.pages[0].Annots[0].Parent


@pytest.mark.django_db
def test_a_script_on_a_bookmark_reached_only_as_the_last_one_is_dropped(space_a, users):
    def build(document):
        outlines = document.Root.Outlines = document.make_indirect(Dictionary(Type=Name.Outlines))
        first = document.make_indirect(
            Dictionary(Title=String("1"), Parent=outlines, Dest=[document.pages[0].obj, Name.Fit])
        )
        last = Dictionary(Title=String("2"), Parent=outlines, Prev=first, A=script())
        outlines.First, outlines.Last = first, document.make_indirect(last)

    raw = stored(space_a, users("president_a"), build)
    assert_nothing_active(raw)
    with pikepdf.open(BytesIO(raw)) as document:
        assert "/A" not in document.Root.Outlines.Last
        assert "/Dest" in document.Root.Outlines.First


@pytest.mark.django_db
def test_an_action_written_into_a_named_destination_is_dropped(space_a, users):
    def build(document):
        page = document.pages[1].obj
        document.Root.Names = Dictionary(
            Dests=Dictionary(
                Names=Array([String("evil"), script(), String("plan"), Array([page, Name.Fit])])
            )
        )
        document.Root.Dests = Dictionary(old=Dictionary(S=Name.Launch, F=String(UNC)))

    raw = stored(space_a, users("president_a"), build)
    assert_nothing_active(raw)
    with pikepdf.open(BytesIO(raw)) as document:
        entries = document.Root.Names.Dests.Names
        assert [str(entries[0]), str(entries[2])] == ["evil", "plan"]
        assert entries[3][0] == document.pages[1].obj
        assert "/old" not in document.Root.Dests


def test_every_bookmark_of_a_list_is_kept():
    def build(document):
        outlines = document.Root.Outlines = document.make_indirect(Dictionary(Type=Name.Outlines))
        items = [
            document.make_indirect(
                Dictionary(
                    Title=String(str(number)),
                    Parent=outlines,
                    A=Dictionary(S=Name.GoTo, D=[document.pages[0].obj, Name.Fit]),
                )
            )
            for number in range(3)
        ]
        for previous, following in zip(items, items[1:], strict=False):
            previous.Next, following.Prev = following, previous
        outlines.First, outlines.Last = items[0], items[2]

    with pikepdf.open(BytesIO(clean_pdf(pdf(build=build)).read())) as stored_pdf:
        titles, item = [], stored_pdf.Root.Outlines.First
        while item is not None and len(titles) < 4:
            titles.append(str(item.Title))
            assert str(item.A.S) == "/GoTo"
            item = item.get("/Next")
        assert titles == ["0", "1", "2"]
        assert stored_pdf.Root.Outlines.Last.Prev.Title == "1"


def test_the_attributes_of_a_tagged_structure_are_kept():
    def build(document):
        element = document.make_indirect(
            Dictionary(
                Type=Name.StructElem, S=Name.P, A=Dictionary(O=Name.Layout, TextAlign=Name.Center)
            )
        )
        document.Root.StructTreeRoot = Dictionary(Type=Name.StructTreeRoot, K=element)

    with pikepdf.open(BytesIO(clean_pdf(pdf(build=build)).read())) as stored_pdf:
        assert stored_pdf.Root.StructTreeRoot.K.A.TextAlign == Name.Center


def test_a_stream_taken_from_another_file_is_cut_off():
    def build(document):
        external = document.make_stream(b"", F=String(UNC), FFilter=Name.FlateDecode)
        document.pages[0].obj.Resources = Dictionary(XObject=Dictionary(Im0=external))

    with pikepdf.open(BytesIO(clean_pdf(pdf(build=build)).read())) as stored_pdf:
        image = stored_pdf.pages[0].Resources.XObject.Im0
        assert "/F" not in image and "/FFilter" not in image


@pytest.mark.django_db
def test_uploads_are_stored_under_unguessable_names(space_a):
    photo = space_a.photos.get()
    document = space_a.documents.get()
    assert "photo" not in photo.image.name.rsplit("/", 1)[1]
    assert len(photo.image.name.rsplit("/", 1)[1]) == len("0" * 32 + ".jpg")
    assert document.file.name.endswith(".pdf") and "plan" not in document.file.name


@pytest.mark.django_db
def test_the_first_photo_is_the_cover_and_the_cover_can_change(space_a, users):
    president = users("president_a")
    second = services.add_photo(space_a.pk, actor=president, upload=jpeg(), caption="Salle")
    assert not second.is_cover
    services.set_cover_photo(second.pk, actor=president)
    assert list(space_a.photos.filter(is_cover=True)) == [second]


@pytest.mark.django_db
def test_deleting_the_cover_gives_the_cover_to_the_next_photo(space_a, users):
    president = users("president_a")
    second = services.add_photo(space_a.pk, actor=president, upload=jpeg())
    services.delete_photo(space_a.photos.get(is_cover=True).pk, actor=president)
    second.refresh_from_db()
    assert second.is_cover


@pytest.mark.django_db(transaction=True)
def test_a_deleted_photo_leaves_no_file_behind(space_a, users, media_root):
    photo = space_a.photos.get()
    path = media_root / photo.image.name
    assert path.exists()
    services.delete_photo(photo.pk, actor=users("president_a"))
    assert not path.exists()
