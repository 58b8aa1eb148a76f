"""``{% load submission %}{% submission_key %}``: the hidden key that makes a form's repeat a no-op
(see cases.idempotency)."""

from cases.idempotency import register  # noqa: F401 - the library Django loads by this module's name
