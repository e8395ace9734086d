"""The layout's template tags: tables that scroll named by their caption, histories' notes."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation


def render(source: str, **context) -> str:
    return Template("{% load layout workflow %}" + source).render(Context(context))


def test_a_table_is_named_by_its_hidden_caption():
    html = render('{% table "Espaces" %}<tbody></tbody>{% endtable %}')
    region_id = html.split('aria-labelledby="')[1].split('"')[0]
    assert f'<caption id="{region_id}" class="visually-hidden">Espaces</caption>' in html
    assert html.startswith('<div class="table-wrap" tabindex="0" role="region"')
    assert html.endswith("<tbody></tbody></table></div>")


def test_a_table_in_a_loop_gets_a_name_of_its_own_each_time():
    html = render('{% for n in rows %}{% table "Même" %}{% endtable %}{% endfor %}', rows=[1, 2])
    ids = [part.split('"')[0] for part in html.split('aria-labelledby="')[1:]]
    assert len(set(ids)) == 2


def test_a_shown_caption_and_a_class_reach_the_table():
    html = render('{% table title class="chart" shown %}{% endtable %}', title="<b>Chiffres</b>")
    assert '<table class="chart"><caption id=' in html
    assert "visually-hidden" not in html
    assert "&lt;b&gt;Chiffres&lt;/b&gt;" in html  # escaped like any variable


def test_a_table_without_a_caption_is_a_template_error():
    with pytest.raises(TemplateSyntaxError):
        render("{% table %}{% endtable %}")


def test_a_note_the_portal_wrote_is_said_in_the_readers_language():
    with translation.override("fr"):
        assert render("{{ note|said }}", note="The period of the allocation is over.") == (
            "La période de l’attribution est terminée."
        )
        assert render("{{ note|said }}", note="Trop loin du souk.") == "Trop loin du souk."
