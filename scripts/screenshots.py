"""Screenshots of the page for docs/ (README and docs link them), taken in headless Debian
Chromium against a built index (default: var/index, the bundled corpus).

    .venv/bin/python scripts/screenshots.py [--index var/index] [--out docs]

Writes screenshot-results.png (desktop, 1280 px wide: a query, an outlet and a person selected),
screenshot-mobile.png (390 x 844: the top of the results with the jump link to the filters) and
screenshot-mobile-filters.png (the same phone after the jump link).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERY = "ولي العهد"
OUTLET = "alriyadh"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _driver(width: int, height: int, phone: bool = False):  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                 "--disable-background-networking", "--disable-dev-shm-usage", f"--window-size={width},{height}"):
        opts.add_argument(flag)
    if phone:  # a window cannot be narrower than 500 px: emulate the phone's viewport instead
        opts.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": width, "height": height, "pixelRatio": 2, "touch": True}})
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", default=str(ROOT / "var" / "index"))
    ap.add_argument("--out", default=str(ROOT / "docs"))
    args = ap.parse_args()
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        print("chromium and chromedriver are needed (scripts/test.sh installs them)", file=sys.stderr)
        return 2
    from selenium.webdriver.common.by import By
    from waitress.server import create_server

    from search_app import create_app

    app = create_app({"INDEX_DIR": args.index})
    port = _free_port()
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    out = Path(args.out)

    desktop = _driver(1280, 1000)
    try:
        desktop.get(f"{base}/?" + urllib.parse.urlencode({"q": QUERY, "outlet": OUTLET}))
        person = desktop.find_element(By.CSS_SELECTOR, "#facet-person a.facet-value").get_attribute("data-value")
        desktop.get(f"{base}/?" + urllib.parse.urlencode({"q": QUERY, "outlet": OUTLET, "person": person}))
        desktop.save_screenshot(str(out / "screenshot-results.png"))
    finally:
        desktop.quit()

    phone = _driver(390, 844, phone=True)
    try:
        phone.get(f"{base}/?" + urllib.parse.urlencode({"q": QUERY}))
        phone.save_screenshot(str(out / "screenshot-mobile.png"))
        phone.find_element(By.CSS_SELECTOR, ".jump-filters").click()
        time.sleep(0.3)
        phone.save_screenshot(str(out / "screenshot-mobile-filters.png"))
    finally:
        phone.quit()
    server.close()
    for name in ("screenshot-results.png", "screenshot-mobile.png", "screenshot-mobile-filters.png"):
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
