"""Limits on untrusted pictures, shared by every capability that reads them (the input loader
napkin._image, and the scorer's screenshot decoder)."""

from __future__ import annotations

# The most pixels a picture may have: 50 megapixels is a 1280 px wide page 39,000 px tall, or
# a 2x retina capture of a long page; decoded as RGB that is 150 MB, the most one analysis may
# hold at once. The input loader decodes a larger JPEG at a fraction of its size and refuses
# other formats; the scorer refuses it.
MAX_IMAGE_PIXELS = 50_000_000
# Files are read into memory whole; a screenshot of that many pixels is far smaller than this.
MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024
