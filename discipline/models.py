"""Discipline-side models (review, instruction, handling, sanctions...) arrive with the discipline
issue; the app exists now so migrations and URLs have their place."""
