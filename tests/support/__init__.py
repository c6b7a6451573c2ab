"""Plain helpers shared by the tests: factories, case helpers, sinks, the CLI runner.

These are ordinary modules (never named ``test_*``); fixtures live in ``conftest.py``
files. ``tests/test_layout.py`` checks that no test module imports another.
"""
