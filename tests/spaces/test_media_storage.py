"""Photos and documents kept in an S3-compatible bucket (moto stands in for it): uploaded,
re-encoded, then served by the portal itself to whom may see them."""

import boto3
import pytest
from django.core.files.storage import storages
from moto import mock_aws

from spaces import services
from tests.spaces.images import jpeg, pdf

BUCKET = "chamber-media"


@pytest.fixture
def bucket(settings):
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "us-east-1",
                    "access_key": "test",
                    "secret_key": "test",
                    "default_acl": "private",
                    "file_overwrite": False,
                },
            },
        }
        storages._storages = {}  # the storages setting is read again
        yield boto3.client("s3", region_name="us-east-1")
        storages._storages = {}


@pytest.mark.django_db
def test_a_photo_and_a_document_live_in_the_bucket_and_are_served_by_the_portal(
    bucket, client_as, users, commune_a
):
    from tests import factories

    president = users("president_a")
    space = factories.SpaceFactory(commune=commune_a, status="proposed", proposed_by=president)
    photo = services.add_photo(space.pk, actor=president, upload=jpeg(), caption="Façade")
    document = services.add_document(space.pk, actor=president, upload=pdf(), title="Plan")
    keys = {item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert {photo.image.name, photo.thumbnail.name, document.file.name} <= keys
    client = client_as("president_a")
    served = client.get(f"/fr/spaces/{space.pk}/photos/{photo.pk}/full.jpg")
    assert served.status_code == 200
    assert b"".join(served.streaming_content)[:3] == b"\xff\xd8\xff"  # a JPEG, re-encoded
    pdf_file = client.get(f"/fr/spaces/{space.pk}/documents/{document.pk}.pdf")
    assert b"".join(pdf_file.streaming_content).startswith(b"%PDF")
