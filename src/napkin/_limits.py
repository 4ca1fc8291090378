"""Limits on untrusted input that more than one capability enforces."""

from __future__ import annotations

# The largest picture Napkin decodes: 50 megapixels is a 1280 px wide page 39,000 px tall, or
# a 2x retina capture of a long page; decoded as RGB that is 150 MB, the most one analysis may
# hold at once. Vision downsizes a larger picture while decoding; the scorer refuses it.
MAX_IMAGE_PIXELS = 50_000_000
