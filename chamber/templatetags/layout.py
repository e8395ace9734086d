"""`{% table caption %}…{% endtable %}`: a table that scrolls on its own on a narrow screen,
named by its caption for screen readers (and reachable by keyboard to scroll), so that every
page wraps its tables the same way. The caption is hidden unless `shown`; `class` goes to
the table; `id` names the caption (else an id is made from its text):

    {% table _("Spaces of the commune") %}<thead>…</thead><tbody>…</tbody>{% endtable %}
    {% table title class="chart" id=chart_id shown %}…{% endtable %}
"""

import zlib
from itertools import count

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


class TableNode(template.Node):
    def __init__(self, nodelist, caption, options, shown):
        self.nodelist, self.caption, self.options, self.shown = nodelist, caption, options, shown

    def render(self, context):
        caption = str(self.caption.resolve(context))
        # An id from the caption's text (stable from one page to the next), numbered when the
        # same table comes again in a loop.
        number = next(context.render_context.setdefault(self, count(1)))
        options = {name: value.resolve(context) for name, value in self.options.items()}
        caption_id = options.get("id") or f"table-{zlib.crc32(caption.encode()):08x}" + (
            f"-{number}" if number > 1 else ""
        )
        css_class = options.get("class", "")
        return format_html(
            '<div class="table-wrap" tabindex="0" role="region" aria-labelledby="{}">'
            '<table{}><caption id="{}"{}>{}</caption>{}</table></div>',
            caption_id,
            format_html(' class="{}"', css_class) if css_class else "",
            caption_id,
            "" if self.shown else mark_safe(' class="visually-hidden"'),
            caption,
            self.nodelist.render(context),
        )


@register.tag
def table(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% table %} takes the table's caption first.")
    caption, options, shown = parser.compile_filter(bits[1]), {}, False
    for bit in bits[2:]:
        name, _equals, value = bit.partition("=")
        if bit == "shown":
            shown = True
        elif name in ("class", "id") and value:
            options[name] = parser.compile_filter(value)
        else:
            raise template.TemplateSyntaxError(f"{{% table %}} does not know {bit!r}.")
    nodelist = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(nodelist, caption, options, shown)
