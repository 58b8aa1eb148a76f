"""URL path converters shared by the apps."""

from django.urls import register_converter

from .fields import parse_id


class IdConverter:
    """`<id:pk>`: a row's id, 1 to MAX_ID. Unlike `<int:pk>`, a number the database cannot hold
    (`/records/99999999999999999999/`) or 0 does not match the route, so it is a 404 before any view
    queries with it (an overflow there was a 500)."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)  # the resolver treats the route as not matching
        return number

    def to_url(self, value) -> str:
        return str(int(value))


# Registered on import; the URL modules that use `<id:…>` import this module first.
register_converter(IdConverter, "id")
