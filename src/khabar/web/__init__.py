"""WEB: ``khabar serve``, the knowledge base as a local web app.

* :mod:`.app`: ``create_app(db_path, token=None, host="127.0.0.1")`` and ``serve``;
* :mod:`.pages`: the HTML pages and the analyst's forms;
* :mod:`.api`: the read API (JSON under ``/api/``) and the data shaping both share;
* :mod:`.security`: host and token checks, CSRF, security headers.

Needs the ``fastapi``, ``uvicorn``, ``jinja2`` and ``python-multipart`` packages: the ``web``
extra (``pip install 'khabar[web]'``), which the library and the other commands do without.
Without them, importing this package fails with E351 naming that command (FastAPI would only
notice python-multipart missing when a form route is declared, with a message of its own).
"""

import importlib.util

from khabar.errors import KhabarError

# module -> the package that installs it
WEB_MODULES = {"fastapi": "fastapi", "starlette": "starlette", "uvicorn": "uvicorn", "jinja2": "jinja2",
               "python_multipart": "python-multipart"}
_missing = [package for module, package in WEB_MODULES.items() if importlib.util.find_spec(module) is None]
if _missing:
    raise KhabarError("E351", f"the web app needs {', '.join(_missing)}, not installed here")

from khabar.web.app import create_app, serve  # noqa: E402 - after the check, which names the extra

__all__ = ["create_app", "serve"]
