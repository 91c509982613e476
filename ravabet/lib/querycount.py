"""Counting SQL queries: `QueryCounter`, an execute wrapper, and the middleware that reports a request's count in a
response header, for bench/ only (enabled by RAVABET_QUERY_COUNT=1; never in production)."""

from django.db import connection


class QueryCounter:
    """An execute wrapper (`with connection.execute_wrapper(counter):`) counting in `count` (int) the queries run
    under it. Used by the middleware below and by `{% cachedrows %}` (a row that queries is not kept)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(counter.count)
        return response
