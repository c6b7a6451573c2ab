"""Word templates of the issued documents: ``<lang>/<kind>.docx``, built by ``build.py``
(the package's fixed parts in ``parts.py``) from the readable sources in
``src/<lang>/<kind>.txt``."""
