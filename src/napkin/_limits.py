"""Limits on untrusted pictures, shared by every capability that reads them (vision, the
scorer, the generator's fallback loader)."""

from __future__ import annotations

# The most pixels a picture may have: 50 megapixels is a 1280 px wide page 39,000 px tall, or
# a 2x retina capture of a long page; decoded as RGB that is 150 MB, the most one analysis may
# hold at once. Vision decodes a larger JPEG at a fraction of its size and refuses other
# formats; the scorer and the generator's fallback loader refuse it.
MAX_IMAGE_PIXELS = 50_000_000
# Files are read into memory whole; a screenshot of that many pixels is far smaller than this.
MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024
