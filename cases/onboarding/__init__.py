"""Bulk onboarding of a bureau's organisation (issue 21): units, people and cases from .xlsx or .csv,
dry run first, all or nothing, audited; on django-import-export."""
