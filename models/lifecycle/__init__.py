"""Lifecycles as data: one table of actions per case kind (``kinds.LIFECYCLES``), the
engine that applies any action, and the payloads the actions take."""
