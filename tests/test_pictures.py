"""`cnnlint shapes --format html|dot|mermaid` (docs/output.md, "Pictures of the models"): the HTML
page rendered in headless Chromium (Debian's `chromium`, driven by Playwright), the DOT output
read by Graphviz's `dot -Tsvg`, the Mermaid output checked against the flowchart grammar it uses."""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cnnlint.cli import main
from cnnlint.report.pictures import layout, mermaid_text

ROOT = Path(__file__).resolve().parent.parent
RESNET = ROOT / "fixtures/keras/functional_resnet_clean.py"
SHORTCUT = ROOT / "fixtures/keras/functional_shortcut_bug.py"  # CNN008 at the Add
SEED_000 = ROOT / "fixtures/seeds/mnist_tf1_wd1_4x4.py"  # seed 000's bug: CNN001 at the reshape
NOTEBOOK = ROOT / "fixtures/notebooks"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def shapes(*args: str) -> str:
    result = CliRunner().invoke(main, ["shapes", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def expected(path: Path) -> list[tuple[int, int]]:
    """(layers, connections) of each model, from `shapes --format json`: the rows, and for functional
    models their `connected_to` (raw graphs and Sequential models: counted from the DOT output)."""
    return [(len(m["layers"]), sum(len(layer.get("connected_to", [])) for layer in m["layers"]))
            for m in json.loads(shapes("--format", "json", str(path)))["models"]]


def test_connected_to_and_batch_none_in_the_table() -> None:
    text = shapes(str(SHORTCUT))
    assert "connected to" in text.splitlines()[1]
    add = next(line for line in text.splitlines() if " Add " in line)
    assert add.rstrip().endswith("conv2d_1, input_layer")
    assert "(None, 32, 32, 64)" in text and "(?," not in text
    (model,) = json.loads(shapes("--format", "json", str(SHORTCUT)))["models"]
    assert [layer["connected_to"] for layer in model["layers"]][:4] == \
        [[], ["input_layer"], ["conv2d"], ["conv2d_1", "input_layer"]]
    assert model["layers"][0]["output"][0] is None


def test_resnet_has_its_shortcuts() -> None:
    (model,) = json.loads(shapes("--format", "json", str(RESNET)))["models"]
    adds = [layer for layer in model["layers"] if layer["op"] == "Add"]
    assert len(adds) == 3 and all(len(layer["connected_to"]) == 2 for layer in adds)


# -- DOT -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [RESNET, SHORTCUT, SEED_000])
def test_dot_is_read_by_graphviz(path: Path) -> None:
    out = shapes("--format", "dot", str(path))
    nodes = re.findall(r"^    (m\d+_\d+_n\d+) \[label=", out, re.M)
    edges = re.findall(r"^    (m\S+) -> (m\S+) \[label=", out, re.M)
    if path != SEED_000:  # functional models: the counts of `shapes --format json`
        assert [(len(nodes), len(edges))] == expected(path)
    else:
        assert len(nodes) == sum(layers for layers, _ in expected(path)) and len(edges) > 0
    if shutil.which("dot") is None:
        pytest.skip("Graphviz `dot` is not installed (apt-get install graphviz)")
    svg = subprocess.run(["dot", "-Tsvg"], input=out, capture_output=True, text=True, check=True).stdout
    assert svg.count('class="node"') == len(nodes) and svg.count('class="edge"') == len(edges)


def test_dot_marks_the_failing_layer_and_escapes() -> None:
    out = shapes("--format", "dot", str(SHORTCUT))
    (failing,) = [line for line in out.splitlines() if "#c62828" in line]
    assert "add: Add" in failing and "CNN008" in failing and '\\"' not in failing.split("label=")[0]
    from cnnlint.report.pictures import _dot_str

    assert _dot_str('a "b" \\ c\nd') == '"a \\"b\\" \\\\ c\\nd"'


# -- Mermaid ---------------------------------------------------------------------------------------
ID = r"[A-Za-z][A-Za-z0-9_]*"
LABEL = r'"[^"<>\[\]{}|`\n]*(?:<br>[^"<>\[\]{}|`\n]*)*"'
MERMAID_LINES = [
    re.compile(r"flowchart TB"),
    re.compile(rf"  subgraph {ID}\[{LABEL}\]"),
    re.compile(r"    direction TB"),
    re.compile(rf"    {ID}\[{LABEL}\]"),
    re.compile(rf"    {ID} -->\|{LABEL}\| {ID}"),
    re.compile(r"  end"),
    re.compile(r"  classDef failing [a-z-]+:[#0-9a-z]+(,[a-z-]+:[#0-9a-z]+)*"),
    re.compile(rf"  class {ID}(,{ID})* failing"),
]


def check_mermaid(text: str) -> tuple[set[str], int]:
    """The flowchart subset cnnlint writes (Mermaid's flowchart grammar, flow.jison: a header, then
    `subgraph id["title"]` ... `end` blocks of `id["label"]` vertices and `a -->|"label"| b` links,
    `classDef`/`class` statements); returns (declared ids, links), failing on any other line, a
    link to an undeclared vertex, or an unbalanced `subgraph`."""
    lines = text.splitlines()
    assert lines[0] == "flowchart TB"
    declared: set[str] = set()
    links = depth = 0
    for line in lines[1:]:
        assert any(p.fullmatch(line) for p in MERMAID_LINES), line
        if line.startswith("  subgraph"):
            depth += 1
        elif line == "  end":
            depth -= 1
            assert depth == 0
        elif m := re.fullmatch(rf"    ({ID})\[.*\]", line):
            declared.add(m.group(1))
        elif m := re.fullmatch(rf"    ({ID}) -->\|.*\| ({ID})", line):
            assert {m.group(1), m.group(2)} <= declared, line
            links += 1
        elif line.startswith("  class "):
            assert set(line.split()[1].split(",")) <= declared
    assert depth == 0
    return declared, links


@pytest.mark.parametrize("path", [RESNET, SHORTCUT])
def test_mermaid_follows_the_grammar(path: Path) -> None:
    declared, links = check_mermaid(shapes("--format", "mermaid", str(path)))
    assert [(len(declared), links)] == expected(path)


def test_mermaid_marks_the_failing_layer_and_escapes() -> None:
    out = shapes("--format", "mermaid", str(SHORTCUT))
    check_mermaid(out)
    assert out.rstrip().endswith("  class m0_0_n3 failing") and "CNN008" in out
    assert mermaid_text('a "b" <c> [d] {e} |f| `g`\nh') == \
        "a #34;b#34; #60;c#62; #91;d#93; #123;e#125; #124;f#124; #96;g#96;<br>h"


def test_the_grammar_check_can_fail() -> None:
    with pytest.raises(AssertionError):
        check_mermaid('flowchart TB\n  subgraph g0["t"]\n    a["x"]\n    a -->|"s"| b\n  end')
    with pytest.raises(AssertionError):
        check_mermaid('flowchart TB\n  subgraph g0["t"]\n    a["x "quoted""]\n  end')


def test_layout_ranks_by_longest_path() -> None:
    # 0 -> 1 -> 2 -> 3 and a shortcut 0 -> 3: the shortcut's end sits below the longest path.
    place = layout(4, [(0, 1, ""), (1, 2, ""), (2, 3, ""), (0, 3, "")])
    assert [r for r, _ in place] == [0, 1, 2, 3]
    assert layout(3, [(0, 1, ""), (0, 2, "")]) == [(0, 0), (1, 0), (1, 1)]


# -- HTML in a real browser -------------------------------------------------------------------------
def distinct_colours(png: bytes) -> int:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    return len(image.getcolors(maxcolors=1 << 24) or [])


@pytest.fixture(scope="module")
def browser() -> Any:
    if CHROMIUM is None:
        pytest.skip("no Chromium installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def open_page(browser: Any, path: Path, tmp_path: Path) -> tuple[Any, list[str]]:
    out = tmp_path / "model.html"
    CliRunner().invoke(main, ["shapes", "--format", "html", str(path), "-o", str(out)])
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url) if not req.url.startswith("file:") else None)
    page.goto(out.as_uri())
    page.wait_for_load_state("load")
    assert requests == []  # self-contained: nothing from the network
    return page, errors


@pytest.mark.parametrize(("path", "failing"), [(RESNET, None), (SEED_000, "CNN001"), (SHORTCUT, "CNN008")])
def test_html_in_chromium(browser: Any, tmp_path: Path, path: Path, failing: str | None) -> None:
    page, errors = open_page(browser, path, tmp_path)
    svgs = page.locator("svg.model")
    dot = shapes("--format", "dot", str(path))
    for i in range(svgs.count()):
        nodes = len(re.findall(rf"^    m\d+_{i}_n\d+ \[label=", dot, re.M))
        edges = len(re.findall(rf"^    m\d+_{i}_n\S+ -> ", dot, re.M))
        assert (svgs.nth(i).locator("g.box").count(), svgs.nth(i).locator("g.edge").count()) == (nodes, edges)
    if path != SEED_000:
        assert [(page.locator("g.box").count(), page.locator("g.edge").count())] == expected(path)
    marked = page.locator("g.box.failing")
    if failing is None:
        assert marked.count() == 0
    else:
        assert marked.count() == 1
        colour = marked.locator("rect").evaluate("r => getComputedStyle(r).fill")
        assert colour == "rgb(255, 205, 210)"
        assert failing in page.locator("#details").inner_text()  # the failing box is shown first
    box = page.locator("g.box").nth(1)
    box.click()
    details = page.locator("#details").inner_text()
    assert "trace" in details and "line " in details
    png = page.locator("#models").screenshot()
    assert distinct_colours(png) > 20
    (tmp_path / "shot.png").write_bytes(png)
    assert errors == []
    page.close()


def test_html_draws_every_model_of_a_notebook(browser: Any, tmp_path: Path) -> None:
    notebooks = sorted(NOTEBOOK.glob("*.ipynb"))
    if not notebooks:
        pytest.skip("no notebook fixture")
    path = notebooks[0]
    models = json.loads(shapes("--format", "json", str(path)))["models"]
    page, errors = open_page(browser, path, tmp_path)
    assert page.locator("svg.model").count() == len(models) > 0
    assert page.locator("g.box").count() == sum(len(m["layers"]) for m in models)
    assert errors == []
    page.close()


def mermaid_js() -> Path | None:
    """Mermaid's browser bundle (`npm install mermaid`; .ci/run installs it under .ci/mermaid)."""
    for candidate in (os.environ.get("CNNLINT_MERMAID_JS"), ROOT / ".ci/mermaid/node_modules/mermaid/dist/mermaid.min.js",
                      ROOT / "node_modules/mermaid/dist/mermaid.min.js"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


RENDER_MERMAID = """async text => {
  mermaid.initialize({startOnLoad: false});
  try { await mermaid.parse(text); } catch (e) { return {error: String(e.message || e)}; }
  const out = await mermaid.render('picture', text);
  document.getElementById('out').innerHTML = out.svg;
  return {nodes: document.querySelectorAll('#out g.node').length,
          edges: document.querySelectorAll('#out .edgePaths path').length,
          failing: document.querySelectorAll('#out g.node.failing').length};
}"""


@pytest.mark.parametrize(("path", "failing"), [(RESNET, 0), (SHORTCUT, 1)])
def test_mermaid_is_read_by_mermaid(browser: Any, path: Path, failing: int) -> None:
    """The real parser and renderer (Mermaid's own bundle, run in Chromium)."""
    bundle = mermaid_js()
    if bundle is None:
        pytest.skip("Mermaid's bundle is not installed (npm install mermaid, or set CNNLINT_MERMAID_JS)")
    page = browser.new_page()
    page.set_content("<html><body><div id='out'></div></body></html>")
    page.add_script_tag(content=bundle.read_text(encoding="utf-8"))
    result = page.evaluate(RENDER_MERMAID, shapes("--format", "mermaid", str(path)))
    assert "error" not in result, result
    assert [(result["nodes"], result["edges"])] == expected(path) and result["failing"] == failing
    assert "error" in page.evaluate(RENDER_MERMAID, 'flowchart TB\n  a["x"] -->|"s"| ')  # the check can fail
    page.close()


def test_html_boxes_carry_the_arithmetic() -> None:
    page = shapes("--format", "html", str(SEED_000))
    infos = [json.loads(html.unescape(m)) for m in re.findall(r'data-info="([^"]*)"', page)]
    pools = [i["arithmetic"] for i in infos if i["title"].endswith("max_pool")]
    assert pools[:2] == [["height and width: SAME: ceil(28 / 2) = 14"], ["height and width: SAME: ceil(14 / 2) = 7"]]
    assert all(i["arithmetic"] == [] for i in infos if i["title"].endswith("relu"))


def test_html_details_show_the_arithmetic_in_chromium(browser: Any, tmp_path: Path) -> None:
    page, errors = open_page(browser, SEED_000, tmp_path)
    pool = page.locator("g.box").filter(has_text="max_pool").first
    pool.hover()
    details = page.locator("#details").inner_text()
    assert "arithmetic" in details and "SAME: ceil(28 / 2) = 14" in details
    assert errors == []
