"""The network page in a real headless Chromium (Debian's, driven by Playwright), opened from
file:// with the network cut off."""

from __future__ import annotations

import json
import shutil
import zlib

import pytest
from playwright.sync_api import sync_playwright

from defence_kg.graph.network import to_networkx
from defence_kg.graph.store import GraphStore
from defence_kg.graph.visualise import ViewOptions, view_data, write_html
from defence_kg.ingest.records import Document, Entity, Relation

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


class Page:
    """A page opened offline, recording console errors, page errors, dialogs and any request it tries."""

    def __init__(self, browser, path):
        self.context = browser.new_context(offline=True, viewport={"width": 1200, "height": 800})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: r.url.startswith("file://") or self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.add_init_script("window.__executed = []; window.alert = (m) => window.__executed.push(String(m));")
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.defenceKg !== undefined")

    def eval(self, script: str):
        return self.page.evaluate(script)

    def close(self):
        self.context.close()


@pytest.fixture(scope="module", params=["country", "entity"])
def view(request, built, tmp_path_factory, browser):
    out = tmp_path_factory.mktemp("view") / f"{request.param}.html"
    with GraphStore(built / "store") as store:
        write_html(store, out, ViewOptions(level=request.param))
        data = view_data(to_networkx(store, request.param))
    opened = Page(browser, out)
    yield request.param, data, opened
    opened.close()


def test_the_page_draws_every_node_and_edge_offline(view):
    level, data, page = view
    drawn = page.eval("[defenceKg.network.body.nodeIndices.length, defenceKg.network.body.edgeIndices.length]")
    assert drawn == [len(data["nodes"]), len(data["edges"])]
    assert len(data["nodes"]) >= (11 if level == "country" else 20)
    assert page.errors == [] and page.requests == []


def test_search_finds_a_node(view):
    level, _, page = view
    page.page.fill("#search", "shoigu" if level == "entity" else "russ")
    page.page.click("#find")
    expected = "Sergei Shoigu" if level == "entity" else "Russia"
    assert page.page.text_content("#found") == f"found: {expected}"
    selected = page.eval("defenceKg.network.getSelectedNodes()")
    assert [page.eval(f"defenceKg.nodes.get({json.dumps(selected[0])}).label")] == [expected]
    page.page.fill("#search", "atlantis")
    page.page.click("#find")
    assert page.page.text_content("#found") == "no party matches"


def test_filters_hide_edges(view):
    _, data, page = view
    meets = sum(e["relation"] == "meets" for e in data["edges"])
    page.page.uncheck("input[data-relation=meets]")
    assert page.eval("defenceKg.network.body.edgeIndices.length") == len(data["edges"]) - meets > 0
    page.page.check("input[data-relation=meets]")
    page.page.fill("#since", "2024-01-01")
    page.page.dispatch_event("#since", "change")
    recent = sum(e["last"] >= "2024-01-01" for e in data["edges"])
    assert page.eval("defenceKg.edgeView.length") == recent < len(data["edges"])
    page.page.fill("#since", "")
    page.page.dispatch_event("#since", "change")
    assert page.eval("defenceKg.edgeView.length") == len(data["edges"])


def test_a_screenshot_is_not_blank(view, tmp_path):
    level, _, page = view
    shot = tmp_path / f"{level}.png"
    page.page.screenshot(path=str(shot), clip={"x": 300, "y": 150, "width": 500, "height": 400})
    assert _distinct_colours(shot.read_bytes()) > 20


def _distinct_colours(png: bytes) -> int:
    """Colours in an 8-bit RGB(A) PNG as Chromium writes it (filters undone row by row)."""
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    channels = {2: 3, 6: 4}[png[25]]
    data, i = b"", 8
    while i < len(png):
        length = int.from_bytes(png[i:i + 4], "big")
        if png[i + 4:i + 8] == b"IDAT":
            data += png[i + 8:i + 8 + length]
        i += 12 + length
    raw, stride, previous, colours = zlib.decompress(data), width * channels, bytearray(width * channels), set()
    for y in range(height):
        kind, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = row[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if kind == 1:
                row[x] = (row[x] + left) & 255
            elif kind == 2:
                row[x] = (row[x] + up) & 255
            elif kind == 3:
                row[x] = (row[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                row[x] = (row[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        if y % 8 == 0:
            colours.update(bytes(row[x:x + 3]) for x in range(0, stride, channels * 4))
        previous = row
    return len(colours)


PAYLOADS = [
    "<script>alert('label')</script>",
    "</script><script>alert('break out')</script>",
    "<img src=x onerror=alert('img')>",
    "<svg onload=alert('svg')>",
    "\"><img src=x onerror=alert('quote')>",
    "'><script>alert(1)</script>",
    "javascript:alert('url')",
    "<a href=\"javascript:alert('href')\">click</a>",
    "title with href=\"http://evil.test\" in it",
    "<iframe srcdoc=\"<script>alert('frame')</script>\"></iframe>",
    "{{app_js}}",
    "{{data}} {{ 7*7 }}",
    "line\u2028separator\u2029paragraph",
    "${alert('template')}",
    "<!-- --><script>alert('comment')</script>",
    "<style>body{display:none}</style>",
    "<body onload=alert('body')>",
    "&lt;script&gt;alert('entity')&lt;/script&gt;",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('mxss')>",
    "\\u003cscript\\u003ealert('escaped')\\u003c/script\\u003e",
    "<details open ontoggle=alert('toggle')>",
    "]]><script>alert('cdata')</script>",
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, browser):
    """A store whose parties, evidence and sources are all payloads, drawn at entity level."""
    folder = tmp_path_factory.mktemp("hostile")
    with GraphStore(folder / "store") as store:
        for n, payload in enumerate(PAYLOADS):
            a = Entity(f"person/hostile-{n}", payload, "Person", "IND")
            b = Entity(f"org/hostile-{n}", f"{payload} ({n})", "Organisation", "RUS")
            document = Document(f"hostile-{n}", payload, payload, "2024-01-01", payload)
            store.put_document(document, [Relation("meets", a, b, payload, 0, len(payload), "rule", 0.9, "2024-01-01")])
        store.derive()
        out = write_html(store, folder / "hostile.html", ViewOptions(level="entity", title="hostile <script>alert('title')</script>"))
    page = Page(browser, out)
    yield page
    page.close()


def test_hostile_strings_run_nothing_and_show_as_text(hostile):
    page = hostile
    assert page.eval("defenceKg.nodes.length") == 2 * len(PAYLOADS)
    labels = set(page.eval("defenceKg.nodes.get().map(n => n.label)"))
    assert set(PAYLOADS) <= labels
    for edge in page.eval("defenceKg.edges.getIds()"):  # every tooltip rendered by the page's own code
        page.eval(f"defenceKg.network.emit('hoverEdge', {{edge: {json.dumps(edge)}, pointer: {{DOM: {{x: 20, y: 20}}}}}})")
        assert page.eval("document.getElementById('tooltip').querySelectorAll('*:not(strong):not(div):not(span)').length") == 0
    for node in page.eval("defenceKg.nodes.getIds()"):
        page.eval(f"defenceKg.network.emit('hoverNode', {{node: {json.dumps(node)}, pointer: {{DOM: {{x: 20, y: 20}}}}}})")
        label = page.eval(f"defenceKg.nodes.get({json.dumps(node)}).label")
        assert page.page.text_content("#tooltip strong") == label  # the payload itself, as text
    page.page.wait_for_timeout(300)
    assert page.eval("window.__executed") == [] and page.dialogs == []
    assert page.page.title() == "hostile <script>alert('title')</script>"
    assert page.eval("document.querySelectorAll('script').length") == 3
    assert page.eval("document.querySelectorAll('img, svg, iframe, math, details, a').length") == 0
    assert page.errors == [] and page.requests == []
