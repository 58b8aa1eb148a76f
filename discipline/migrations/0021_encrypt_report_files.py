"""Encrypt the generated report PDFs at rest (SM4-GCM, issue 23): the "reports" storage is now
cases.storage.EncryptedPrivateStorage, and the files written before are sealed in place."""

from django.db import migrations

from cases.encryption.sealing import seal_operation


class Migration(migrations.Migration):
    dependencies = [
        ("discipline", "0020_encrypt_content"),
    ]

    operations = [seal_operation(files=[("discipline.ReportJob", "file")])]
