"""What every request and response goes through (issue #12): a size limit before the body is
read, a Content-Security-Policy without inline script, no copies of private pages, and refusals
logged on one line."""

import io
import logging
import re
from pathlib import Path

import pytest
from django.conf import settings

from portal.log import RefusalsOnOneLine

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.parametrize(("path", "words"), [("/ar/account/login/", 'lang="ar"'), ("/fr/", "Mo")])
def test_a_body_larger_than_any_upload_is_refused_before_it_is_read(client, path, words):
    response = client.generic(
        "POST",
        path,
        CONTENT_TYPE="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert words in html
    assert f"{settings.REQUEST_MAX_BYTES // (1024 * 1024)}" in html


def test_the_413_page_carries_the_security_headers(client):
    response = client.generic(
        "POST",
        "/fr/account/login/",
        CONTENT_TYPE="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_photo_of_the_largest_size_allowed_is_not_refused_at_the_door(client_as, space_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("big.jpg", b"0" * settings.SPACE_PHOTO_MAX_BYTES, "image/jpeg")
    response = client_as("president_a").post(
        f"/fr/spaces/{space_a.pk}/photos/add/", {"image": photo, "caption": "x"}
    )
    assert response.status_code == 400  # read, and answered on its field: no photo
    assert response.context["photo_form"].errors["image"]


@pytest.mark.parametrize("cookie", ['"abcdefgh\\000ijklmnop"', "abc\x00def"])
def test_a_nul_byte_in_the_session_cookie_is_ignored(client, cookie):
    client.cookies["sessionid"] = cookie
    assert client.get("/fr/").status_code == 200


def test_a_nul_byte_in_the_browsers_name_is_dropped_before_it_is_stored(client):
    from axes.models import AccessAttempt

    response = client.post(
        "/fr/account/login/", {"username": "x", "password": "y"}, HTTP_USER_AGENT="Mozilla\x00"
    )
    assert response.status_code == 200
    assert AccessAttempt.objects.get().user_agent == "Mozilla"


@pytest.mark.parametrize("path", ["/ar/", "/fr/spaces/", "/fr/account/login/", "/fr/nowhere/"])
def test_every_response_carries_a_policy_without_inline_script(client, path):
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_no_template_has_an_inline_script_or_event_handler():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=", re.IGNORECASE)
    found = [
        str(path.relative_to(ROOT))
        for app in ("chamber", "spaces", "cooperatives", "programs", "portal")
        for path in (ROOT / app / "templates").rglob("*.html")
        if inline.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_print_button_needs_no_inline_script(client_as, users, commune_a, allocation_of):
    from tests import factories

    space = factories.SpaceFactory(commune=commune_a, status="available")
    allocation = allocation_of(space)
    html = client_as("staff").get(f"/fr/spaces/allocations/{allocation.pk}/agreement/")
    assert "data-print hidden" in html.content.decode()
    assert "js/print.js" in html.content.decode()


def test_a_page_for_someone_logged_in_is_not_stored(client_as):
    response = client_as("coop_a").get("/fr/cooperatives/mine/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_answer_to_a_visitors_form_is_not_stored_either(client, commune_a):
    response = client.post("/fr/programmes/join/", {"first_name": "Salma", "phone": "0612"})
    assert response.status_code == 200 and "Salma" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_public_page_for_a_visitor_may_be_stored(client):
    assert "no-store" not in client.get("/fr/").get("Cache-Control", "")


def record(status: int) -> logging.LogRecord:
    try:
        raise PermissionError("refused")
    except PermissionError:
        import sys

        exc_info = sys.exc_info()
    entry = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "x", (), exc_info)
    entry.status_code = status
    return entry


def test_a_refusal_is_logged_on_one_line_and_a_server_error_with_its_traceback():
    one_line = RefusalsOnOneLine()
    refused, failed = record(403), record(500)
    assert one_line.filter(refused) and one_line.filter(failed)
    formatter = logging.Formatter()
    assert formatter.format(refused).count("\n") == 0
    assert "Traceback" in formatter.format(failed)
    assert "one_line" in settings.LOGGING["handlers"]["console"]["filters"]


def test_a_forbidden_page_is_logged_without_a_traceback(client_as, caplog):
    handler = logging.StreamHandler(stream := io.StringIO())
    handler.addFilter(RefusalsOnOneLine())
    logging.getLogger("django.request").addHandler(handler)
    try:
        assert client_as("coop_a").get("/fr/spaces/review/").status_code == 403
    finally:
        logging.getLogger("django.request").removeHandler(handler)
    assert stream.getvalue().strip().count("\n") == 0
    assert "Forbidden" in stream.getvalue()


def test_the_413_answer_is_valid_wsgi_before_any_reading():
    """Through the WSGI application itself, as a server calls it: wsgiref's validator, and no
    hop-by-hop header (wsgiref's server refuses `Connection: close` with a 500)."""
    from wsgiref.util import is_hop_by_hop, setup_testing_defaults
    from wsgiref.validate import validator

    from portal.wsgi import application

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/fr/account/login/",
        "CONTENT_TYPE": "multipart/form-data; boundary=x",
        "CONTENT_LENGTH": str(settings.REQUEST_MAX_BYTES + 1),
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
    }
    setup_testing_defaults(environ)
    environ["wsgi.input"] = Unreadable()
    statuses, headers = [], []

    def start_response(status, response_headers, exc_info=None):
        statuses.append(status)
        headers.extend(name for name, _value in response_headers)

    body = validator(application)(environ, start_response)
    content = b"".join(body)
    body.close()
    assert statuses == ["413 Request Entity Too Large"]
    assert not [name for name in headers if is_hop_by_hop(name)]
    assert f"{settings.REQUEST_MAX_BYTES // (1024 * 1024)} Mo".encode() in content


def test_the_error_pages_own_styles_are_the_only_inline_ones_and_allowed_by_their_hash():
    import base64
    import hashlib

    from django.template.loader import render_to_string

    inline = re.compile(r"<style|\sstyle\s*=", re.IGNORECASE)
    found = [
        str(path.relative_to(ROOT))
        for app in ("chamber", "spaces", "cooperatives", "programs", "portal")
        for path in (ROOT / app / "templates").rglob("*.html")
        if inline.search(path.read_text(encoding="utf-8"))
    ]
    assert found == ["portal/templates/500.html"]
    block = render_to_string("500.html").split("<style>", 1)[1].split("</style>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]
