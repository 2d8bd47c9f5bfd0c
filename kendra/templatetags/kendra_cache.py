"""{% cachedblock "content" %}…{% endcachedblock %}: a block of a page rendered once and
kept by kendra.cache.render_page. Without a page_cache in the context it just renders."""

from django import template

register = template.Library()


class CachedBlockNode(template.Node):
    def __init__(self, name, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        page = context.get("page_cache")
        if page is None:
            return self.nodelist.render(context)
        html = page.block(self.name)
        if html is None:
            html = self.nodelist.render(context)
            page.keep(self.name, html)
        return html


@register.tag
def cachedblock(parser, token):
    try:
        _tag, name = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError(
            "cachedblock takes one argument: the block's name"
        ) from None
    nodelist = parser.parse(("endcachedblock",))
    parser.delete_first_token()
    return CachedBlockNode(name.strip("\"'"), nodelist)
