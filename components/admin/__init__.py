"""Administration: users and personal data."""
