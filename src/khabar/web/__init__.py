"""WEB: ``khabar serve``, the knowledge base as a local web app.

* :mod:`.app`: ``create_app(db_path, token=None, host="127.0.0.1")`` and ``serve``;
* :mod:`.pages`: the HTML pages and the analyst's forms;
* :mod:`.api`: the read API (JSON under ``/api/``) and the data shaping both share;
* :mod:`.security`: host and token checks, CSRF, security headers.

Needs the ``fastapi``, ``uvicorn``, ``jinja2`` and ``python-multipart`` packages.
"""

from khabar.web.app import create_app, serve

__all__ = ["create_app", "serve"]
