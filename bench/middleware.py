from django.db import connection


class QueryCountMiddleware:
    """KENDRA_BENCH only: says how many SQL queries a request made (X-Kendra-Queries)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Kendra-Queries"] = str(count[0])
        return response
