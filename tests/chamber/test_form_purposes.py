"""Each form that collects personal data says above its fields why, who sees it and for how
long (law 09-08), in a paragraph the form points to."""

import re

import pytest

pytestmark = pytest.mark.django_db

FORMS = [
    ("visitor", "/{lang}/cooperatives/join/"),
    ("visitor", "/{lang}/programmes/join/"),
    ("president_a", "/{lang}/spaces/propose/"),
    ("coop_a", "/{lang}/cooperatives/apply/"),
    ("staff", "/{lang}/cooperatives/{cooperative}/apply-for/"),
    ("staff", "/{lang}/cooperatives/staff/register/"),
    ("coop_a", "/{lang}/cooperatives/{cooperative}/edit/"),
    ("apprentice", "/{lang}/programmes/cohorts/{cohort}/"),
]


@pytest.mark.parametrize("lang", ["ar", "fr"])
@pytest.mark.parametrize(("role", "url"), FORMS)
def test_a_form_collecting_personal_data_states_its_purpose(
    client_as, cooperative_a, cohort, role, url, lang
):
    page = client_as(role).get(
        url.format(lang=lang, cooperative=cooperative_a.pk, cohort=cohort.pk)
    )
    html = page.content.decode()
    purpose = re.search(r'<p class="form-purpose" id="form-purpose">([^<]+)</p>', html)
    assert purpose and len(purpose.group(1).strip()) > 80
    form = html[purpose.end() :]
    assert re.search(r'<form method="post"[^>]*aria-describedby="form-purpose"', form)
