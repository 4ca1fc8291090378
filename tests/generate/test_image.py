"""Bad pictures: each is refused with a clear InputError or used with a warning, quickly."""

from __future__ import annotations

import pytest

from napkin.errors import InputError
from napkin.generate import read_image
from napkin.generate._image import is_blank, to_data_url
from tests.generate.pictures import EXPECTED, good_picture, write_pictures


@pytest.fixture(scope="module")
def pictures(tmp_path_factory):
    return write_pictures(tmp_path_factory.mktemp("pictures"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_picture(pictures, name):
    path = pictures / name
    if EXPECTED[name]:
        img, notes = read_image(path)
        assert img.mode == "RGB" and min(img.size) >= 16
    else:
        with pytest.raises(InputError) as info:
            read_image(path)
        assert str(path) in str(info.value)


def test_messages_say_what_is_wrong(pictures):
    messages = {}
    for name in ("not_an_image.png", "truncated.png", "empty.png", "tiny.png", "bomb.png"):
        with pytest.raises(InputError) as info:
            read_image(pictures / name)
        messages[name] = str(info.value)
    assert "not an image" in messages["not_an_image.png"]
    assert "truncated or damaged" in messages["truncated.png"]
    assert "empty" in messages["empty.png"]
    assert "1x1 px: too small" in messages["tiny.png"]
    assert "20000x20000" in messages["bomb.png"] or "decompression bomb" in messages["bomb.png"]


def test_animated_gif_uses_the_first_frame(pictures):
    img, notes = read_image(pictures / "animated.gif")
    assert img.getpixel((5, 5)) == good_picture((320, 200)).getpixel((5, 5))
    assert "animated (2 frames)" in notes[0]


def test_other_sources(pictures):
    data = (pictures / "good.png").read_bytes()
    with (pictures / "good.png").open("rb") as file:
        for source in (data, good_picture(), file):
            img, _ = read_image(source)
            assert img.size == (640, 400)
    with pytest.raises(InputError):
        read_image(pictures / "missing.png")
    with (pictures / "good.png").open("r", encoding="latin-1") as text, pytest.raises(InputError, match="binary mode"):
        read_image(text)


def test_transparent_pixels_become_white():
    from PIL import Image

    img, _ = read_image(Image.new("RGBA", (40, 40), (0, 0, 0, 0)))
    assert img.getpixel((0, 0)) == (255, 255, 255)


def test_blankness_and_data_urls():
    assert is_blank(good_picture().convert("L").point(lambda _: 250).convert("RGB"))
    assert not is_blank(good_picture())
    url = to_data_url(good_picture((4000, 1000)), max_side=2048)
    assert url.startswith("data:image/png;base64,")
    import base64
    import io

    from PIL import Image

    decoded = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    assert decoded.size == (2048, 512)
