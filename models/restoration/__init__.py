"""Restoration of a servant's rights: measures, follow-ups and the restoration report."""
