"""How people reach the platform: the CLI, `serve`, the engine process, backup and restore."""
