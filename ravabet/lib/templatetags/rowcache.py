"""`{% cachedrows %}`: a `{% for %}` over a list's rows whose drawn rows are kept in the cache (lib.rowcache).

    {% load rowcache %}
    {% cachedrows case in page_obj %}
      <tr>…{{ case.subject }}…{% workflow_buttons case %}</tr>
    {% empty %}
      <tr><td>پرونده‌ای پیدا نشد.</td></tr>
    {% endcachedrows %}

One loop variable, as in `{% for x in xs %}`; `forloop` works inside (its place then enters the key). The rows
are read with one `get_many` and the ones missing drawn and written with one `set_many`. The row template must
show nothing but the loop variable, the request (through `request.…`, `{% url %}`, workflow_buttons) and other
context variables, all of which enter the key; a tag that makes something new each time it is drawn
(`{% submit_token %}`) is refused when the template is loaded. A row whose drawing reads the database (a
related count, a guard that looks at other rows) shows data that is not in its key: it is drawn afresh on every
request and never kept.

Each request counts its rows in `request.rowcache_stats` ({"read", "drawn", "not_kept"}); the URL matrix test
reads it to show that every list's rows are kept.
"""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.template.base import FilterExpression, Node, NodeList, Variable
from django.template.loader import get_template
from django.template.loader_tags import IncludeNode
from django.template.smartif import TokenBase
from django.utils.functional import empty
from django.utils.safestring import mark_safe

from ravabet.lib import rowcache
from ravabet.lib.querycount import QueryCounter

register = template.Library()

# Context names a row may read without entering the key: the request is keyed by its viewer and address, the
# CSRF token is filled in afterwards, `user`/`perms` are the viewer.
_KEYED_ELSEWHERE = {"request", "csrf_token", "user", "perms", "forloop", "True", "False", "None"}
_REFUSED_TAGS = {"submit_token"}


def _names(value, found: set[str], seen: set[int]) -> None:
    """Adds to `found` the first part of every variable that the nodes under `value` read from the context."""
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, Variable):
        if value.lookups:
            found.add(value.lookups[0])
        return
    if isinstance(value, FilterExpression):
        _names(value.var, found, seen)
        for _func, args in value.filters:
            for _lookup, arg in args:
                _names(arg, found, seen)
        return
    if isinstance(value, (NodeList, list, tuple)):
        for item in value:
            _names(item, found, seen)
        return
    if isinstance(value, dict):
        for item in value.values():
            _names(item, found, seen)
        return
    if isinstance(value, IncludeNode):
        name = value.template.var
        if not isinstance(name, str):
            raise template.TemplateSyntaxError("{% cachedrows %} can include only a template named in quotes.")
        _names(get_template(name).template.nodelist, found, seen)
        _names(value.extra_context, found, seen)
        return
    if isinstance(value, (Node, TokenBase)):
        func = getattr(value, "func", None)
        if getattr(func, "__name__", "") in _REFUSED_TAGS:
            raise template.TemplateSyntaxError(
                f"{{% {func.__name__} %}} draws a new value each time and cannot be inside {{% cachedrows %}}.")
        for name, item in vars(value).items():
            if name not in ("origin", "token", "template"):
                _names(item, found, seen)


class CachedRowsNode(Node):
    child_nodelists = ("nodelist_loop", "nodelist_empty")

    def __init__(self, loopvar: str, sequence: FilterExpression, nodelist_loop: NodeList,
                 nodelist_empty: NodeList, place: str):
        self.loopvar, self.sequence, self.place = loopvar, sequence, place
        self.nodelist_loop, self.nodelist_empty = nodelist_loop, nodelist_empty
        names: set[str] = set()
        _names(nodelist_loop, names, set())
        self.uses_forloop = "forloop" in names
        self.context_names = sorted(names - _KEYED_ELSEWHERE - {loopvar})

    def render(self, context) -> str:
        values = self.sequence.resolve(context, ignore_failures=True)
        values = list(values or [])
        if not values:
            return self.nodelist_empty.render(context)
        request = context.get("request")
        if not settings.RAVABET_ROW_CACHE:
            with context.push():
                return mark_safe("".join(  # noqa: S308 - drawn by this template's own nodes
                    self._draw(context, index, item, len(values)) for index, item in enumerate(values)))
        try:
            shared = rowcache.page_key(request, self.place,
                                       ((name, context.get(name)) for name in self.context_names))
            keys = [self._key(shared, index, item) for index, item in enumerate(values)]
        except rowcache.Unstable:
            keys = [None] * len(values)
        kept = cache.get_many([key for key in keys if key])
        csrf = context.get("csrf_token")
        parts, new, not_kept = [], {}, 0
        with context.push():
            for index, (key, item) in enumerate(zip(keys, values, strict=True)):
                html = kept.get(key)
                if html is None:
                    queries = QueryCounter()
                    with connection.execute_wrapper(queries):
                        html = self._draw(context, index, item, len(values))
                    if key and not queries.count:
                        new[key] = html if csrf is None else self._stand_in(html, csrf)
                    else:
                        not_kept += 1
                parts.append(html)
        if new:
            cache.set_many(new, rowcache.TTL)
        if request is not None:
            stats = request.__dict__.setdefault("rowcache_stats", {"read": 0, "drawn": 0, "not_kept": 0})
            stats["read"] += len(kept)
            stats["drawn"] += len(values) - len(kept)
            stats["not_kept"] += not_kept
        html = "".join(parts)
        if csrf is not None and rowcache.CSRF_STAND_IN in html:
            html = html.replace(rowcache.CSRF_STAND_IN, str(csrf))
        return mark_safe(html)  # noqa: S308 - every row drawn by this template's own nodes

    def _key(self, shared: str, index: int, item) -> str:
        return rowcache.row_key(shared, item, f"{index}" if self.uses_forloop else "")

    @staticmethod
    def _stand_in(html: str, csrf) -> str:
        """The row as kept: the request's CSRF token, when the row drew it, replaced by the stand-in."""
        drawn_token = getattr(csrf, "_wrapped", empty)
        if drawn_token is empty:
            return html
        return html.replace(str(drawn_token), rowcache.CSRF_STAND_IN)

    def _draw(self, context, index: int, item, length: int) -> str:
        context[self.loopvar] = item
        if self.uses_forloop:
            context["forloop"] = {"counter0": index, "counter": index + 1, "revcounter": length - index,
                                  "revcounter0": length - index - 1, "first": index == 0,
                                  "last": index == length - 1, "length": length, "parentloop": {}}
        return self.nodelist_loop.render(context)


@register.tag
def cachedrows(parser, token):
    """{% cachedrows item in sequence %}…{% empty %}…{% endcachedrows %}: see the module's docstring."""
    bits = token.split_contents()
    if len(bits) != 4 or bits[2] != "in":
        raise template.TemplateSyntaxError("Usage: {% cachedrows item in sequence %}…{% endcachedrows %}")
    nodelist_loop = parser.parse(("empty", "endcachedrows"))
    if parser.next_token().contents == "empty":
        nodelist_empty = parser.parse(("endcachedrows",))
        parser.delete_first_token()
    else:
        nodelist_empty = NodeList()
    place = f"{getattr(parser.origin, 'template_name', None) or parser.origin}:{token.lineno}"
    return CachedRowsNode(bits[1], parser.compile_filter(bits[3]), nodelist_loop, nodelist_empty, place)
