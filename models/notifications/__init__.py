"""Notifications: the outbox, the texts people read, and delivery bookkeeping."""
