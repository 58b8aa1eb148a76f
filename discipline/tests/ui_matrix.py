"""Entries of the quick-capture and help URLs (issue 11) for the project permission matrix
(``discipline/tests/test_matrix.py``), hooked in with two lines like fault_matrix:

    MATRIX.update(ui_matrix(everyone, ANON))
    args.update(ui_args())
"""


def ui_matrix(everyone, anon) -> dict:
    signed_in = {**everyone(200), **anon}
    return {
        # Every role of the matrix has a unit, so every signed-in user may capture a record.
        "records:quick": ("get", None, signed_in),
        # The help pages explain public rules: any signed-in user may read any role's page.
        "help:index": ("get", None, signed_in),
        "help:role": ("get", "help_role", signed_in),
    }


def ui_args() -> dict:
    return {"help_role": ["officer"]}
