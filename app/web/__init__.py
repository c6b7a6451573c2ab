"""The web pages: server-rendered Jinja2 (``templates/web/``) on the API's FastAPI app,
in Kazakh, Russian and English, with the API's access table and domain errors."""
