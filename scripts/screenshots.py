"""Screenshots of portal pages in Arabic and French, at desktop width and at 360 px, for a
person to look at. Needs a running portal (`make run`) and Debian's Chromium.

    .venv/bin/python scripts/screenshots.py /region/ /crafts/ --login staff --out screenshots
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="paths without the language prefix, e.g. /region/")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--login", help="demo account to log in as (password demo-pass-2026)")
    parser.add_argument("--out", default="screenshots")
    parser.add_argument("--max-height", type=int, help="keep only the top of long pages (px)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width, label in ((1280, "desktop"), (360, "phone")):
            context = browser.new_context(viewport={"width": width, "height": 800})
            page = context.new_page()
            if args.login:
                page.goto(f"{args.base}/fr/account/login/")
                page.fill("#id_username", args.login)
                page.fill("#id_password", "demo-pass-2026")
                page.click("main button[type=submit]")
            for path in args.paths:
                for lang in ("ar", "fr"):
                    page.goto(f"{args.base}/{lang}{path}")
                    name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
                    target = out / f"{name}-{lang}-{label}.png"
                    clip = None
                    if args.max_height:
                        clip = {"x": 0, "y": 0, "width": width, "height": args.max_height}
                    page.screenshot(path=str(target), full_page=True, clip=clip)
                    print(target)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
