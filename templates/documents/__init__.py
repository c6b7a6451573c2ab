"""Word templates of the issued documents: ``<lang>/<kind>.docx``, built by ``build.py``
from the readable sources in ``src/<lang>/<kind>.txt``."""
