"""Content-Security-Policy sources for the inline scripts and styles of our pages."""

from __future__ import annotations

import base64
import hashlib


def source_hash(text: str) -> str:
    """`'sha256-…'` for an inline `<script>` or `<style>` body, exactly as browsers hash it."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
