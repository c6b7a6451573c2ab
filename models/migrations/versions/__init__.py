"""ethicsflow models/migrations/versions."""
