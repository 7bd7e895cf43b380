"""Network view speed: HTML generation and time to a stable drawing in headless Chromium, for 500 and
5,000 nodes, defence-kg's view against pyvis with its default settings on the same graph, in one run.

    python benchmarks/viz.py [--sizes 500 5000] [--limit 120]

The graphs are generated (seeded; 4 edges per node, countries, persons and organisations). pyvis's
page loads vis-network from a CDN, which this machine cannot reach, so its copy is written with
`cdn_resources="in_line"` (its other CDN links are blocked); physics, as pyvis sets it, stays on.
A drawing is stable when vis-network has stabilised (physics off: at its first drawing). Runs stop
at --limit seconds and print as ">limit".
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

import networkx as nx
from playwright.sync_api import sync_playwright
from pyvis.network import Network

from defence_kg.graph.visualise import page, view_data

RELATIONS = ("meets", "visits", "invites", "signsAgreementWith", "exercisesWith", "coProduces", "supplies")
TYPES = ("Country", "Person", "Organisation")
STABLE = """() => new Promise((resolve) => {
  const started = performance.now();
  const net = window.defenceKg ? window.defenceKg.network : window.network;
  const done = () => resolve(performance.now());
  if (!net.physics.options.enabled || net.physics.stabilized) { net.once("afterDrawing", done); net.redraw(); return; }
  net.once("stabilized", done);
  net.once("stabilizationIterationsDone", done);
})"""


RESPOND = """() => {
  const view = window.defenceKg, box = document.querySelector("input[data-relation]");
  const started = performance.now();
  box.click(); view.network.redraw(); box.click(); view.network.redraw();
  document.getElementById("search").value = "Party 4";
  document.getElementById("find").click();
  return (performance.now() - started) / 1000;
}"""


def generate(nodes: int, edges_per_node: int = 4, seed: int = 3) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    for n in range(nodes):
        graph.add_node(f"n{n}", label=f"Party {n}", type=TYPES[n % 3], country=f"C{n % 150:03d}")
    for k in range(nodes * edges_per_node):
        a, b = rng.randrange(nodes), int(rng.paretovariate(1.2)) % nodes
        if a != b:
            relation = RELATIONS[k % len(RELATIONS)]
            graph.add_edge(f"n{a}", f"n{b}", key=str(k), predicate=relation, directed=relation in ("visits", "invites", "supplies"),
                           date=f"{2015 + k % 10}-0{1 + k % 9}-1{k % 9}", evidence=f"Sentence {k} about Party {a} and Party {b}.",
                           source=f"https://example.org/{k}")
    return graph


def ours(graph: nx.MultiDiGraph) -> str:
    return page(view_data(graph), "benchmark")


def pyvis_default(graph: nx.MultiDiGraph) -> str:
    net = Network(directed=True, cdn_resources="in_line")
    for node, data in graph.nodes(data=True):
        net.add_node(node, label=data["label"], title=f"{data['label']} ({data['type']})")
    for a, b, data in graph.edges(data=True):
        net.add_edge(a, b, label=data["predicate"], title=data["evidence"])
    return net.generate_html(notebook=False)


def render(browser, path: Path, limit: float) -> tuple[float | None, float | None]:
    """Seconds from navigation to a stable drawing, and (our page) seconds to filter twice and find a party."""
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    context.route("http*://**", lambda route: route.abort())
    tab = context.new_page()
    tab.set_default_timeout(limit * 1000)
    try:
        started = time.perf_counter()
        tab.goto(path.as_uri(), wait_until="load")
        tab.wait_for_function("window.defenceKg !== undefined || window.network !== undefined")
        tab.evaluate(STABLE)
        stable = time.perf_counter() - started
        return stable, tab.evaluate(RESPOND) if "defence-kg" in path.name else None
    except Exception:  # noqa: BLE001 - a timeout: reported as over the limit
        return None, None
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--limit", type=float, default=120.0, help="seconds before a rendering is given up")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        print(f"{'nodes':>6} {'edges':>6}  {'':10} {'HTML s':>8} {'render s':>9} {'filter+find s':>14}")
        for size in args.sizes:
            graph = generate(size)
            results = {}
            for name, make in (("defence-kg", ours), ("pyvis", pyvis_default)):
                started = time.perf_counter()
                text = make(graph)
                built = time.perf_counter() - started
                path = Path(folder) / f"{name}-{size}.html"
                path.write_text(text, encoding="utf-8")
                stable, respond = render(browser, path, args.limit)
                results[name] = (built, stable)
                shown = f"{stable:.2f}" if stable is not None else f">{args.limit:.0f}"
                print(f"{size:6d} {graph.number_of_edges():6d}  {name:10} {built:8.2f} {shown:>9} "
                      f"{f'{respond:.2f}' if respond is not None else '':>14}")
            ours_render, theirs_render = results["defence-kg"][1], results["pyvis"][1]
            if ours_render:
                ratio = (theirs_render or args.limit) / ours_render
                print(f"{'':15} render ratio pyvis/defence-kg: {'>' if theirs_render is None else ''}{ratio:.1f}x")
        browser.close()


if __name__ == "__main__":
    main()
