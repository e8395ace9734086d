from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from spaces import services
from spaces.uploads import check_pdf, reencode_image
from tests.spaces.images import image_bytes, jpeg, pdf, upload


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
    check_pdf(pdf())


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"<html>not a pdf</html>", "not_a_pdf"),
        (image_bytes(), "not_a_pdf"),
        (b"%PDF-1.7\n1 0 obj <<>> endobj\n", "damaged_pdf"),
    ],
)
def test_anything_but_a_complete_pdf_is_refused(content, code):
    with pytest.raises(ValidationError) as error:
        check_pdf(upload(content, "plan.pdf", "application/pdf"))
    assert error.value.code == code


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
