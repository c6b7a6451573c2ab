"""Backup and restore of an installation: its database and issued documents."""
