"""The API's records endpoints (issue 21): a draft made on an officer's behalf, its submission, its
status, deadline and outcome, the changes feed, and the working-day calendar as a service. Built on
cases.api (keys, scope, errors, audit)."""
