"""The explorer: /explore, a browser view of the graph built on the public GraphQL API."""

from __future__ import annotations

from .page import ASSETS, VENDOR_DIR, assets_present, install

__all__ = ["ASSETS", "VENDOR_DIR", "assets_present", "install"]
