"""Outside debug, static files carry a content hash and are cached for a year by browsers."""

import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client, override_settings


@pytest.mark.django_db
def test_the_stylesheet_is_served_by_the_portal_with_a_long_cache(tmp_path):
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(
        STATIC_ROOT=tmp_path, STORAGES=storages, DEBUG=False, WHITENOISE_AUTOREFRESH=False
    ):
        call_command("collectstatic", "--noinput", verbosity=0)
        url = staticfiles_storage.url("css/portal.css")
        assert url != "/static/css/portal.css"  # the name carries a hash
        response = Client().get(url, headers={"accept-encoding": "gzip"})
        assert response.status_code == 200
        max_age = re.search(r"max-age=(\d+)", response["Cache-Control"])
        assert int(max_age.group(1)) >= 365 * 24 * 3600
        assert "immutable" in response["Cache-Control"]
        assert response["Content-Encoding"] == "gzip"
        html = Client().get("/fr/").content.decode()
        assert url in html
