"""The GraphiQL playground, served with its assets from OpenCase itself (works offline)."""

from __future__ import annotations

from .page import VENDOR_DIR, assets_present, playground_html

__all__ = ["VENDOR_DIR", "assets_present", "playground_html"]
