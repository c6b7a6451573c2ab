"""The REST API under ``/api/v1`` (DESIGN §10): the one server of an installation.

``app.py`` builds the FastAPI application, ``problems.py`` turns domain errors into RFC
9457 problem details in the request's language (``language.py``).
"""
