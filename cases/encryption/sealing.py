"""The data migrations that bring columns and files under encryption at rest (records 0014,
discipline 0020–0022): each seals what it names under the current SM4 key, and writes it back as
plaintext when reversed."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import migrations


def seal_operation(*, columns: Sequence[tuple[str, str]] = (), files: Sequence[tuple[str, str]] = ()) -> migrations.RunPython:
    """A RunPython sealing `columns` ((model label, column)) and the files of `files` ((model label,
    FileField name)). Raw SQL and in-place file rewrites (cases.encryption.rotation), idempotent both
    ways: a run stopped half-way, or a reversal, leaves every value and file readable."""

    def seal(apps, schema_editor, *, decrypt: bool = False) -> None:
        # Imported when the migration runs, not when it is loaded: rotation imports the models.
        from .rotation import seal_column, seal_files

        for label, column in columns:
            seal_column(apps.get_model(label), column, decrypt=decrypt)
        for label, field_name in files:
            seal_files(apps.get_model(label), field_name, decrypt=decrypt)

    def unseal(apps, schema_editor) -> None:
        seal(apps, schema_editor, decrypt=True)

    return migrations.RunPython(seal, unseal)
