"""ethicsflow deployments."""
