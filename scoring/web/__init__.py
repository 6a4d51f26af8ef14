"""The web app: server-rendered pages (FastAPI + Jinja2) on the same store as the CLI.

Its one job is to parse a request, check who may do it, call the library and render the
answer. ``app`` builds an app (``create_app``) with its error pages; ``routing`` holds an
app's route table and the check every request passes; ``site`` what every handler is given;
``pages`` the handlers by page area; ``policy`` who may do what; ``forms`` the
self-assessment form; ``state`` the cache of what the pages read; ``i18n`` and ``figures``
the words, numbers, dates and charts as shown (``svg``: the canvas the charts are drawn on).
"""

from __future__ import annotations

from scoring.web.app import create_app

__all__ = ["create_app"]
