"""``{% publicfragment "name" %}…{% endpublicfragment %}``: the part of a public page that
every visitor is shown alike, kept under the content generation (core.content_cache).

On a hit nothing inside the tag is rendered, so a view passes what the fragment shows
as lazy objects and computes none of it before rendering."""

from django import template
from django.utils.safestring import mark_safe

from core.content_cache import fragment

register = template.Library()


class PublicFragmentNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        if request is None:  # rendered outside a request: nothing to key it by
            return self.nodelist.render(context)
        html = fragment(
            self.name.resolve(context), request, lambda: str(self.nodelist.render(context))
        )
        return mark_safe(html)  # noqa: S308 - the template's own output, escaped when rendered


@register.tag("publicfragment")
def do_publicfragment(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes one argument: a fragment name.")
    nodelist = parser.parse(("endpublicfragment",))
    parser.delete_first_token()
    return PublicFragmentNode(parser.compile_filter(bits[1]), nodelist)
