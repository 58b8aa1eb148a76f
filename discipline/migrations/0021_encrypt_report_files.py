"""Encrypt the generated report PDFs at rest (SM4-GCM, issue 23): the "reports" storage is now
cases.storage.EncryptedPrivateStorage, and the files written before are sealed in place."""

from django.db import migrations


def seal(apps, schema_editor, *, decrypt=False):
    # In-place file rewrites (cases.encryption.rotation): idempotent both ways, so a run stopped
    # half-way, or a reversal, leaves every file readable.
    from cases.encryption.rotation import seal_files

    seal_files(apps.get_model("discipline", "ReportJob"), "file", decrypt=decrypt)


def unseal(apps, schema_editor):
    seal(apps, schema_editor, decrypt=True)


class Migration(migrations.Migration):
    dependencies = [
        ("discipline", "0020_encrypt_content"),
    ]

    operations = [migrations.RunPython(seal, unseal)]
