"""Draw the app icon (a red seal-like square with 帮 in white) into the package and resources.

Run once when the icon changes: `python installer/make_icon.py`. Writes
zhibang_desktop/data/icons/zhibang.png (the window icon) and resources/zhibang.ico (the
Windows program, shortcut and installer icon). Needs Pillow (a reportlab dependency).
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "zhibang_desktop" / "data" / "fonts" / "wqy-microhei.ttc"
RED = (196, 30, 36, 255)
SIZE = 256


def draw(size: int = SIZE) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    margin = size // 16
    pen.rounded_rectangle((margin, margin, size - margin, size - margin), radius=size // 6, fill=RED)
    font = ImageFont.truetype(str(FONT), int(size * 0.62), index=0)
    box = pen.textbbox((0, 0), "帮", font=font)
    x = (size - (box[2] - box[0])) / 2 - box[0]
    y = (size - (box[3] - box[1])) / 2 - box[1]
    pen.text((x, y), "帮", font=font, fill=(255, 255, 255, 255))
    return image


def main() -> None:
    image = draw()
    png = ROOT / "zhibang_desktop" / "data" / "icons" / "zhibang.png"
    png.parent.mkdir(parents=True, exist_ok=True)
    image.save(png)
    image.save(ROOT / "resources" / "zhibang.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64),
                                                           (128, 128), (256, 256)])


if __name__ == "__main__":
    main()
