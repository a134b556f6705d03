#!/usr/bin/env python3
"""Screenshots of the network map and the gap matrix for the README (docs/netmap-*.png).

Writes the map of the bundled Dresden graph with ``caregraph map`` and photographs it in
headless Chromium (Debian's chromium and chromedriver, through Selenium)::

    python scripts/netmap_screenshots.py [--lang en]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "tests"))
from support import chromium_driver  # noqa: E402  (the tests' way to start chromium)


def main() -> None:
    """Write the page, open it, and save the two screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en", choices=["de", "en"])
    parser.add_argument("--size", default="1600,1000", help="window size, WIDTH,HEIGHT")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "map.html"
        subprocess.run(
            [sys.executable, "-m", "caregraph", "--lang", args.lang, "map", "-o", str(page)],
            check=True,
        )
        driver = chromium_driver(Path(tmp) / "profile", window=args.size)
        try:
            driver.get(page.as_uri())
            WebDriverWait(driver, 20).until(
                lambda d: d.execute_script("return document.body.dataset.ready") == "true"
            )
            driver.execute_script(
                "caregraphMap.select(arguments[0])", "https://w3id.org/caregraph/dresden/sozialamt"
            )
            driver.save_screenshot(str(DOCS / "netmap-map.png"))
            driver.find_element(By.ID, "tab-gaps").click()
            driver.save_screenshot(str(DOCS / "netmap-gaps.png"))
        finally:
            driver.quit()
    print(f"wrote {DOCS / 'netmap-map.png'} and {DOCS / 'netmap-gaps.png'}")


if __name__ == "__main__":
    main()
