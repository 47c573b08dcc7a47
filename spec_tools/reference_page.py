"""One HTML file of the reference that needs nothing but itself: `make docs`.

The page is swagger-ui-dist's own bundle and stylesheet, inlined beside the spec. Redocly's
`build-docs --inlineBundle` came first, but its page fetches a logo from cdn.redoc.ly with no
option to turn that off. The spec comes dereferenced (`redocly bundle --dereferenced`) because
swagger-ui resolves `$ref`s against the page's own address, which fails for a file opened
from disk. The page's Content-Security-Policy refuses every address, so even a viewer upgrade
that tried to load something could not.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

from spec_tools.repository import checkout

USAGE = "usage: python -m spec_tools.reference_page DEREFERENCED_SPEC.json PAGE.html"
# The bundle's own source-map comment would name a file beside it that the page does not have.
SOURCE_MAP_COMMENT = re.compile(r"/[/*]# sourceMappingURL=\S+( \*/)?\s*$")
NO_NETWORK = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:"
)
# Everything expanded, so the page reads (and is searched) top to bottom; no "Try it out",
# since a reference page must not send requests; no validator badge, which calls out.
VIEWER_OPTIONS = {
    "dom_id": "#reference",
    "docExpansion": "full",
    "defaultModelsExpandDepth": -1,
    "supportedSubmitMethods": [],
    "validatorUrl": None,
    "deepLinking": True,
}


def swagger_ui() -> Path:
    return checkout() / "node_modules" / "swagger-ui-dist"


def asset(name: str) -> str:
    text = SOURCE_MAP_COMMENT.sub("", (swagger_ui() / name).read_text(encoding="utf-8"))
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise ValueError(f"{name} would end the element it is inlined in")
    return text


def json_in_script(value: object) -> str:
    """JSON that cannot end the <script> it sits in: `<\\/` reads as `</` in a JSON string."""
    return json.dumps(value).replace("</", "<\\/")


def page(spec: dict[str, object]) -> str:
    info = spec.get("info")
    title = f"{info['title']} {info['version']}" if isinstance(info, dict) else "API reference"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{NO_NETWORK}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{asset("swagger-ui.css")}</style>
</head>
<body>
<div id="reference"></div>
<script>{asset("swagger-ui-bundle.js")}</script>
<script>SwaggerUIBundle({json_in_script({**VIEWER_OPTIONS, "spec": spec})});</script>
</body>
</html>
"""


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(USAGE, file=sys.stderr)
        return 2
    source, target = (Path(arg) for arg in argv)
    try:
        spec = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        print(f"{source}: {error}", file=sys.stderr)
        return 2
    if not (swagger_ui() / "swagger-ui-bundle.js").exists():
        print(f"{swagger_ui()} is missing: run make setup", file=sys.stderr)
        return 2
    try:
        text = page(spec)
    except ValueError as error:
        print(f"{swagger_ui()}: {error}", file=sys.stderr)
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target} ({target.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
