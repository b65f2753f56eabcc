"""Every asset a page needs is served by the app: a lab LAN may have no internet."""

from __future__ import annotations

import re

from tests.api.pages.conftest import Client
from tests.factories import Lab

_ASSET = re.compile(r'(?:src|href)="(/static/[^"]+)"')
_EXTERNAL = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?(?:https?:)?//""")


def test_every_asset_of_the_pages_is_served_here(client: Client, lab: Lab) -> None:
    for path in ("/", "/methods", "/sign-in"):
        html = client.get(path).text
        assets = _ASSET.findall(html)
        assert assets, f"{path} names no assets"
        assert not _EXTERNAL.search(html), f"{path} loads something from another host"
        for asset in assets:
            assert client.get(asset).status_code == 200, asset


def test_the_style_sheet_loads_its_fonts_from_here(client: Client) -> None:
    css = client.get("/static/css/labsys.css").text
    fonts = re.findall(r'url\("(/static/fonts/[^"]+)"\)', css)

    assert fonts
    for font in fonts:
        response = client.get(font)
        assert response.status_code == 200
        assert response.content[:4] == b"wOF2"


def test_the_api_documentation_renders_without_the_internet(client: Client) -> None:
    html = client.get("/schema/").text
    scripts = re.findall(r'(?:src|href)="([^"]+)"', html)

    assert "/static/vendor/swagger-ui-5.32.0/swagger-ui-bundle.js" in scripts
    assert not [s for s in scripts if "//" in s]
    for script in scripts:
        assert client.get(script).status_code == 200, script


def test_the_style_sheet_closes_every_rule_it_opens(client: Client) -> None:
    css = client.get("/static/css/labsys.css").text
    depth = 0
    for character in css:
        depth += {"{": 1, "}": -1}.get(character, 0)
        assert depth >= 0, "a rule closes that was never opened"

    assert depth == 0, "a rule is left open: every rule after it is lost"
