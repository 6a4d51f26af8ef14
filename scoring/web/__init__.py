"""The web app: server-rendered pages (FastAPI + Jinja2) on the same store as the CLI."""

from __future__ import annotations

from scoring.web.app import create_app

__all__ = ["create_app"]
