"""Statutory deadlines: the working-day calendar, the rules, recomputation, the sweep and
the daily digest."""
