"""The packaged statutory policy, ``policy.yaml``: periods and switches with their legal
basis, read and checked by ``models/policy.py``."""
