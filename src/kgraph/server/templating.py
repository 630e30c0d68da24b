"""The one Jinja2 environment shared by every router that renders HTML.

Templates live in ``server/templates``; they all extend ``base.html``, which
defines the blocks ``title``, ``head`` and ``content`` and the site navigation.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
