"""Accounts: passwords, invitations, API tokens, throttled sign-ins and the security log."""
