"""The API for case-handling and supervision systems (issue 21), cases' part: calling systems and their
keys, authentication, rate limits, the audit of every call, errors as JSON, and the cases endpoint.
records and discipline add their endpoints on the same base (``cases.api.base``)."""
