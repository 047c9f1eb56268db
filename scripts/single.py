"""Assembles dist-single/trustfill.html from the no-modules glue, the wasm and the stylesheet.

The page holds its Content-Security-Policy as a meta tag: the hashes of its own two scripts and
its stylesheet, 'wasm-unsafe-eval' to compile the module, and nothing that could load anything
from anywhere (default-src 'none'), so the file cannot make a request even if it wanted to.
"""
import base64
import hashlib
import sys


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def main(glue_path, wasm_path, css_path, icon_path, out_path):
    glue = open(glue_path, encoding="utf-8").read()
    wasm = base64.b64encode(open(wasm_path, "rb").read()).decode()
    css = open(css_path, encoding="utf-8").read()
    icon = base64.b64encode(open(icon_path, "rb").read()).decode()
    boot = (
        "(function () {\n"
        "  // The module is in this file: decoded from base64 and instantiated from memory.\n"
        f"  var text = atob('{wasm}');\n"
        "  var bytes = new Uint8Array(text.length);\n"
        "  for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);\n"
        "  wasm_bindgen({ module_or_path: bytes });\n"
        "})();\n"
    )
    policy = (
        "default-src 'none'; "
        f"script-src {sha256(glue)} {sha256(boot)} 'wasm-unsafe-eval'; "
        f"style-src {sha256(css)}; img-src data:; object-src 'none'; base-uri 'none'; form-action 'none'"
    )
    html = (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\" />\n"
        "<title>Trustfill</title>\n"
        f"<link rel=\"icon\" href=\"data:image/svg+xml;base64,{icon}\" />\n"
        f"<style>{css}</style>\n</head>\n<body>\n"
        f"<script>{glue}</script>\n<script>{boot}</script>\n</body>\n</html>\n"
    )
    with open(out_path, "w", encoding="utf-8") as out:
        out.write(html)


if __name__ == "__main__":
    main(*sys.argv[1:6])
