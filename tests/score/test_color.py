"""CIEDE2000 against the published test data, and the sRGB to CIELAB conversion."""

from __future__ import annotations

import numpy as np
import pytest

from napkin.score import ciede2000, color_similarity, rgb_to_lab

# Sharma, Wu and Dalal (2005), Table 1: the 34 pairs (L1 a1 b1, L2 a2 b2) and their CIEDE2000.
SHARMA = """
50.0000 2.6772 -79.7751 50.0000 0.0000 -82.7485 2.0425
50.0000 3.1571 -77.2803 50.0000 0.0000 -82.7485 2.8615
50.0000 2.8361 -74.0200 50.0000 0.0000 -82.7485 3.4412
50.0000 -1.3802 -84.2814 50.0000 0.0000 -82.7485 1.0000
50.0000 -1.1848 -84.8006 50.0000 0.0000 -82.7485 1.0000
50.0000 -0.9009 -85.5211 50.0000 0.0000 -82.7485 1.0000
50.0000 0.0000 0.0000 50.0000 -1.0000 2.0000 2.3669
50.0000 -1.0000 2.0000 50.0000 0.0000 0.0000 2.3669
50.0000 2.4900 -0.0010 50.0000 -2.4900 0.0009 7.1792
50.0000 2.4900 -0.0010 50.0000 -2.4900 0.0010 7.1792
50.0000 2.4900 -0.0010 50.0000 -2.4900 0.0011 7.2195
50.0000 2.4900 -0.0010 50.0000 -2.4900 0.0012 7.2195
50.0000 -0.0010 2.4900 50.0000 0.0009 -2.4900 4.8045
50.0000 -0.0010 2.4900 50.0000 0.0010 -2.4900 4.8045
50.0000 -0.0010 2.4900 50.0000 0.0011 -2.4900 4.7461
50.0000 2.5000 0.0000 50.0000 0.0000 -2.5000 4.3065
50.0000 2.5000 0.0000 73.0000 25.0000 -18.0000 27.1492
50.0000 2.5000 0.0000 61.0000 -5.0000 29.0000 22.8977
50.0000 2.5000 0.0000 56.0000 -27.0000 -3.0000 31.9030
50.0000 2.5000 0.0000 58.0000 24.0000 15.0000 19.4535
50.0000 2.5000 0.0000 50.0000 3.1736 0.5854 1.0000
50.0000 2.5000 0.0000 50.0000 3.2972 0.0000 1.0000
50.0000 2.5000 0.0000 50.0000 1.8634 0.5757 1.0000
50.0000 2.5000 0.0000 50.0000 3.2592 0.3350 1.0000
60.2574 -34.0099 36.2677 60.4626 -34.1751 39.4387 1.2644
63.0109 -31.0961 -5.8663 62.8187 -29.7946 -4.0864 1.2630
61.2901 3.7196 -5.3901 61.4292 2.2480 -4.9620 1.8731
35.0831 -44.1164 3.7933 35.0232 -40.0716 1.5901 1.8645
22.7233 20.0904 -46.6940 23.0331 14.9730 -42.5619 2.0373
36.4612 47.8580 18.3852 36.2715 50.5065 21.2231 1.4146
90.8027 -2.0831 1.4410 91.1528 -1.6435 0.0447 1.4441
90.9257 -0.5406 -0.9208 88.6381 -0.8985 -0.7239 1.5381
6.7747 -0.2908 -2.4247 5.8714 -0.0985 -2.2286 0.6377
2.0776 0.0795 -1.1350 0.9033 -0.0636 -0.5514 0.9082
"""


def sharma_pairs() -> np.ndarray:
    return np.array([[float(v) for v in line.split()] for line in SHARMA.strip().splitlines()])


def test_ciede2000_matches_all_published_pairs_to_four_decimals():
    d = sharma_pairs()
    assert d.shape == (34, 7)
    np.testing.assert_allclose(ciede2000(d[:, :3], d[:, 3:6]), d[:, 6], atol=5e-5)


def test_ciede2000_is_symmetric_and_zero_on_equal_colours():
    d = sharma_pairs()
    np.testing.assert_allclose(ciede2000(d[:, 3:6], d[:, :3]), d[:, 6], atol=5e-5)
    assert ciede2000([50, 10, -20], [50, 10, -20]) == 0


def test_srgb_to_lab_known_values():
    # White and black are the ends of L*; sRGB red under D65 is (53.24, 80.09, 67.20).
    lab = rgb_to_lab([[255, 255, 255], [0, 0, 0], [255, 0, 0]])
    np.testing.assert_allclose(lab[0], [100, 0, 0], atol=1e-3)
    np.testing.assert_allclose(lab[1], [0, 0, 0], atol=1e-9)
    np.testing.assert_allclose(lab[2], [53.2408, 80.0925, 67.2032], atol=1e-3)


def test_color_similarity_is_design2codes_normalisation():
    assert color_similarity([10, 20, 30], [10, 20, 30]) == 1.0
    # Black against white: a CIEDE2000 of exactly 100, so similarity 0 (and never negative).
    assert color_similarity([0, 0, 0], [255, 255, 255]) == pytest.approx(0.0, abs=1e-4)
    de = float(ciede2000(rgb_to_lab([0, 0, 0]), rgb_to_lab([255, 0, 0])))
    assert color_similarity([0, 0, 0], [255, 0, 0]) == pytest.approx(1 - de / 100)
    assert 0 < 1 - de / 100 < 1
