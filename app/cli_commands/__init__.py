"""The command groups of the `ethicsflow` CLI, one module each; ``app/cli.py`` assembles them."""
