#!/usr/bin/env python3
"""The browser test of `idc explore`: a real headless Chromium, driven by Playwright.

It starts `idc explore --members 1 --port 0 tests/browser/register-member-1.json` itself,
reads the URL from the server's first line, and clicks through the page as a person
would: the initial state, a trace of the command line, the check's counterexamples step by
step (what each step forward changed highlighted; the keys Left/Right and [/]), the calls
marked with the always-properties they would break, a refused call, a branch off a path, the trace download (replayed with
`idc replay`), a query (found, not found, malformed), an upload, a bad path, a reload; and
then `idc explore --design tests/browser/design-members-1.toml`: the design's start state,
names and threat model.

Run from the repository root, after `cargo build --release --bin idc`:

    python3 tests/browser/test_explore.py

Environment:
    IDC_BIN         the idc binary (default: target/release/idc)
    CHROMIUM        the browser (default: /usr/bin/chromium)
    IDC_SCREENSHOT  1: save the page at a counterexample's last state to docs/explore.png
    IDC_HEADFUL     1: show the browser window (for debugging, needs a display)

Exit 0 when every check passes; otherwise the first failed check is printed (with the
server's stderr and a screenshot of the page in a temporary directory) and the exit code
is 1. The server is stopped in every case.
"""

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRACE = ROOT / "tests" / "browser" / "register-member-1.json"
DESIGN = ROOT / "tests" / "browser" / "design-members-1.toml"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The counterexample followed step by step, and the one photographed for the docs.
FOLLOWED = "delegate-is-active-member"
PHOTOGRAPHED = "management-access-granted-only-by-management"
TIMEOUT_MS = 30_000
CHECK_TIMEOUT_MS = 180_000

try:
    from playwright.sync_api import sync_playwright
except ImportError:
    print(
        "test_explore: the Python module playwright is missing: pip install playwright "
        "(or run tests/browser/run.sh, which installs it)",
        file=sys.stderr,
    )
    sys.exit(2)


def log(msg):
    print(f"  {msg}", flush=True)


def norm_path(p):
    """A path with `I.0` written `I`, to compare paths the server may spell either way."""
    toks = [t[:-2] if re.fullmatch(r"\d+\.0", t) else t for t in p.split(",")] if p else []
    return ",".join(toks)


def tokens(p):
    return p.split(",") if p else []


def prefix(p, k):
    return ",".join(tokens(p)[:k])


# ---- the server -------------------------------------------------------------------------


class Server:
    """`idc explore` started on a free port; its stderr is kept for failure reports."""

    def __init__(self, idc, args):
        self.cmd = [str(idc), "explore", *args]
        self.proc = subprocess.Popen(
            self.cmd,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.stderr = []
        self.lines = queue.Queue()
        threading.Thread(target=self._pump, args=(self.proc.stdout, self.lines.put), daemon=True).start()
        threading.Thread(target=self._pump, args=(self.proc.stderr, self.stderr.append), daemon=True).start()
        try:
            first = self.lines.get(timeout=60)
        except queue.Empty:
            raise AssertionError(f"{' '.join(self.cmd)}: no start line on stdout within 60 s") from None
        m = re.fullmatch(r"idc explore: serving (http://127\.0\.0\.1:\d+/) \(Ctrl-C to stop\)\n?", first or "")
        assert m, f"{' '.join(self.cmd)}: unexpected first stdout line {first!r}; stderr: {''.join(self.stderr)}"
        self.url = m.group(1)

    @staticmethod
    def _pump(stream, put):
        for line in stream:
            put(line)
        put(None)

    def get(self, endpoint, **params):
        """(status, JSON body) of a GET of the API."""
        url = self.url + "api/v1/" + endpoint
        if params:
            url += "?" + urllib.parse.urlencode(params)
        try:
            with urllib.request.urlopen(url, timeout=120) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


# ---- page helpers -----------------------------------------------------------------------

WAIT_PATH_JS = """(want) => {
  const norm = (p) => (p ? p.split(',') : []).map((t) => /^\\d+\\.0$/.test(t) ? t.slice(0, -2) : t).join(',');
  const a = document.getElementById('app');
  return a && a.dataset.status === 'ready' && norm(a.dataset.path) === norm(want)
    && document.querySelector('[data-testid=mermaid]').dataset.path === a.dataset.path
    && document.querySelector('[data-testid=diagram]').dataset.path === a.dataset.path;
}"""


class Page:
    def __init__(self, page, server):
        self.p = page
        self.server = server

    def wait_path(self, path, timeout=TIMEOUT_MS):
        try:
            self.p.wait_for_function(WAIT_PATH_JS, arg=path, timeout=timeout)
        except Exception:
            raise AssertionError(
                f"the page did not show path {path!r}: status={self.app('status')!r} "
                f"path={self.app('path')!r} error={self.error_text()!r}"
            ) from None

    def app(self, key):
        return self.p.get_attribute("#app", f"data-{key}")

    def path(self):
        return self.app("path")

    def hash_path(self):
        h = self.p.evaluate("location.hash")
        assert h.startswith("#path="), f"the URL does not name the path: hash {h!r}"
        return h[len("#path="):]

    def click_to(self, locator):
        """Click an element carrying data-path and wait for the page to show that path."""
        target = locator.get_attribute("data-path")
        assert target is not None, "the element has no data-path"
        locator.click()
        self.wait_path(target)
        return target

    def error_text(self):
        e = self.p.locator("[data-testid=error]")
        return e.inner_text() if e.is_visible() else ""

    def expect_no_error(self, what):
        t = self.error_text()
        assert not t, f"{what}: unexpected error on the page: {t}"

    def steps(self):
        return self.p.locator("[data-testid=step]")

    def current_step(self):
        cur = self.p.locator("[data-testid=step].current")
        assert cur.count() == 1, f"{cur.count()} current steps"
        return int(cur.get_attribute("data-step"))

    def prop_holds(self, name):
        loc = self.p.locator(f"[data-testid=property][data-name='{name}']")
        assert loc.count() == 1, f"property {name} is not shown once ({loc.count()})"
        return loc.get_attribute("data-holds") == "true"

    def delegates(self):
        return self.p.get_attribute("[data-testid=registry]", "data-delegates")

    def changed(self, selector):
        """Whether the element is highlighted as changed by the last step forward."""
        return "changed" in (self.p.get_attribute(selector, "class") or "").split()

    def changed_count(self):
        return self.p.locator("#organization .changed, #identity-center .changed, #identities .changed").count()

    def goto_initial(self):
        self.p.click("[data-testid=initial]")
        self.wait_path("")


# ---- the checks -------------------------------------------------------------------------


def check_initial(pg, model):
    log("initial state: calls, callers, accounts, properties")
    pg.p.goto(pg.server.url)
    pg.wait_path("")
    pg.expect_no_error("initial state")
    text = pg.p.inner_text("body")
    for word in ["RegisterDelegatedAdministrator", "management", "member-1", "EnableIdentityCenter"]:
        assert word in text, f"the page does not show {word!r}"
    call = pg.p.locator("[data-testid=call][data-call=RegisterDelegatedAdministrator][data-caller=management]")
    assert call.count() >= 1, "management's RegisterDelegatedAdministrator is not listed"
    assert call.first.locator("[data-testid=outcome]").count() >= 1, "a call without outcomes"
    callers = pg.p.eval_on_selector_all("[data-testid=caller-group]", "els => els.map(e => e.dataset.caller)")
    assert callers[:2] == ["management", "member-1"], f"callers {callers}"
    n_calls = pg.p.locator("[data-testid=call]").count()
    assert n_calls == len(model["calls"]), f"{n_calls} calls shown, the model has {len(model['calls'])}"
    accounts = pg.p.eval_on_selector_all("[data-testid=account]", "els => els.map(e => [e.dataset.account, e.dataset.status])")
    assert accounts == [["management", "ACTIVE"], ["member-1", "ACTIVE"]], f"accounts {accounts}"
    for prop in model["properties"]:
        pg.prop_holds(prop["name"])  # shown exactly once
        assert prop["name"] in text, f"property {prop['name']} not on the page"
    assert pg.p.get_attribute("[data-testid=trusted-access]", "data-on") == "false"
    assert pg.delegates() == "", "a delegate in the initial state"
    assert pg.steps().count() == 1 and pg.current_step() == 0, "step 0 is not the only, current step"
    assert pg.p.is_disabled("[data-testid=back]") and pg.p.is_disabled("[data-testid=forward]")
    assert "sequenceDiagram" in pg.p.text_content("[data-testid=mermaid]"), "no Mermaid source"
    assert pg.p.locator("[data-testid=diagram] > svg").count() == 1, "no SVG sequence diagram"
    assert pg.p.locator("[data-testid=diagram] svg g.step").count() == 0, "steps drawn at step 0"
    assert pg.p.inner_text("[data-testid=search-from]") == "from the initial state"


def check_trace_start(pg, model):
    log("a trace of the command line: one click")
    assert len(model["traces"]) == 1, f"traces {model['traces']}"
    t = model["traces"][0]
    btn = pg.p.locator("[data-testid=trace]")
    assert btn.count() == 1, "no trace button"
    pg.click_to(btn.first)
    assert norm_path(pg.path()) == norm_path(t["path"])
    assert pg.steps().count() == t["steps"] + 1, "the trace's steps are not listed"
    assert pg.delegates() == "member-1", f"after the trace the registry shows {pg.delegates()!r}"
    acc = pg.p.locator("[data-testid=account][data-account=member-1] [data-testid=delegate-tag]")
    assert acc.count() == 1, "member-1 is not pictured as the delegated administrator"
    inst = pg.p.locator("[data-testid=account][data-account=management] [data-testid=instance-tag]")
    assert inst.count() == 1, "management is not pictured owning the organization instance"


def run_check(pg):
    log("the check's counterexamples and examples (loading message, then a list)")
    pg.goto_initial()  # the check starts from the state on screen: here the root
    pg.p.click("[data-testid=check]")
    status = pg.p.locator("[data-testid=check-status]")
    assert status.is_visible(), "no check status shown"
    pg.p.wait_for_selector("[data-testid=check-item]", timeout=CHECK_TIMEOUT_MS)
    pg.expect_no_error("check")
    items = pg.p.eval_on_selector_all(
        "[data-testid=check-item]", "els => els.map(e => [e.dataset.name, e.dataset.verdict, e.dataset.path])"
    )
    _, api = pg.server.get("check")
    expected = [[p["name"], p["verdict"], p["path"]] for p in api["properties"] if p.get("path") is not None]
    assert items == expected, f"check list {items} != API {expected}"
    # The progress shown while it ran ends with the check's final count.
    prog = pg.p.locator("[data-testid=check-progress]")
    assert prog.is_visible(), "no progress of the check shown"
    assert prog.get_attribute("data-running") == "false", "the progress still says running"
    assert prog.get_attribute("data-states") == str(api["states"]), f"progress {prog.get_attribute('data-states')} states, the check {api['states']}"
    assert f"{api['states']:,} states" in prog.inner_text(), prog.inner_text()
    status, progress = pg.server.get("check/progress")
    assert status == 200 and progress.get("running") is False and progress.get("done") is True, progress
    assert progress["states"] == api["states"], f"check/progress {progress} vs check {api['states']} states"
    assert progress["discoveries"] == len(expected), f"check/progress {progress}: {len(expected)} paths in the check"
    # The discoveries, listed with the progress (live while it runs, all of them at the end).
    want = sorted([p["name"], str(len(tokens(p["path"])))] for p in api["properties"] if p.get("path") is not None)
    assert sorted([f["name"], str(f["length"])] for f in progress["found"]) == want, f"check/progress found {progress['found']}"
    # (The page lists them as they come, under the progress, while the check runs: with one
    # member it is over before the first report; the list is then folded away.)
    listed = pg.p.eval_on_selector_all("[data-testid=check-found-item]", "els => els.map(e => [e.dataset.name, e.dataset.length])")
    assert sorted(listed) == want, f"discoveries listed {listed} != {want}"
    assert not pg.p.locator("[data-testid=check-found]").is_visible(), "the discoveries are listed twice"
    return {name: (verdict, path) for name, verdict, path in items}


def follow_counterexample(pg, found):
    log(f"following {FOLLOWED} step by step")
    assert FOLLOWED in found, f"{FOLLOWED} has no counterexample in {sorted(found)}"
    verdict, path = found[FOLLOWED]
    assert verdict == "violated", f"{FOLLOWED}: {verdict}"
    n = len(tokens(path))
    pg.click_to(pg.p.locator(f"[data-testid=check-item][data-name='{FOLLOWED}']"))
    assert pg.steps().count() == n + 1, f"{pg.steps().count()} steps shown for a path of {n}"
    assert pg.current_step() == n
    assert not pg.prop_holds(FOLLOWED), f"{FOLLOWED} holds at its counterexample's end"
    assert pg.p.locator(f"[data-testid=property][data-name='{FOLLOWED}'].violated").count() == 1, "not highlighted"
    last = pg.p.locator(f"[data-testid=step][data-step='{n}']")
    assert FOLLOWED in last.inner_text(), "the last step does not name the failing property"

    # Click each step, from the last to step 0.
    for k in range(n, -1, -1):
        pg.click_to(pg.p.locator(f"[data-testid=step][data-step='{k}']"))
        assert norm_path(pg.hash_path()) == norm_path(prefix(path, k)), f"step {k}: URL {pg.hash_path()}"
        assert pg.current_step() == k
        assert pg.steps().count() == n + 1, "clicking a step lost the rest of the path"
        # A shortest counterexample: the property holds before its last step.
        assert pg.prop_holds(FOLLOWED) == (k < n), f"{FOLLOWED} at step {k}"
        # The download claims the violation only where the path still reaches it.
        q = urllib.parse.parse_qs(urllib.parse.urlparse(pg.p.get_attribute("[data-testid=download]", "href")).query)
        assert ("claim" in q) == (k == n), f"step {k}: download {q}"
    assert pg.p.is_disabled("[data-testid=back]")
    assert pg.changed_count() == 0, "a step clicked (not one forward) shows changes"
    # Then Forward to the end: each step forward highlights what it changed, and only that.
    for k in range(1, n + 1):
        before = (pg.delegates(), pg.p.get_attribute("[data-testid=trusted-access]", "data-on"))
        pg.p.click("[data-testid=forward]")
        pg.wait_path(prefix(path, k))
        assert pg.current_step() == k
        after = (pg.delegates(), pg.p.get_attribute("[data-testid=trusted-access]", "data-on"))
        assert pg.changed("[data-testid=registry]") == (before[0] != after[0]), f"step {k}: registry {before[0]!r} -> {after[0]!r}"
        assert pg.changed("[data-testid=trusted-access]") == (before[1] != after[1]), f"step {k}: trusted access {before[1]} -> {after[1]}"
        changes = pg.p.locator(f"[data-testid=step][data-step='{k}'] .changes li").count()
        assert (pg.changed_count() > 0) == (changes > 0), f"step {k}: {changes} changes, {pg.changed_count()} highlighted"
    assert pg.p.is_disabled("[data-testid=forward]"), "Forward enabled at the path's end"
    pg.p.click("[data-testid=back]")
    pg.wait_path(prefix(path, n - 1))
    assert pg.changed_count() == 0, "a step back shows changes"
    pg.p.click("[data-testid=forward]")
    pg.wait_path(path)
    # The keyboard: Left/Right and [/] move along the path, not while typing in a field.
    log("keyboard: Left/Right and [/] for Back/Forward")
    pg.p.evaluate("document.activeElement && document.activeElement.blur()")
    pg.p.keyboard.press("ArrowLeft")
    pg.wait_path(prefix(path, n - 1))
    pg.p.keyboard.press("ArrowRight")
    pg.wait_path(path)
    assert pg.changed_count() > 0, "the step forward by key shows no change"
    pg.p.keyboard.press("[")
    pg.wait_path(prefix(path, n - 1))
    pg.p.keyboard.press("]")
    pg.wait_path(path)
    pg.p.keyboard.press("ArrowRight")  # at the end: nothing
    pg.p.focus("[data-testid=find-input]")
    pg.p.keyboard.press("ArrowLeft")
    pg.p.keyboard.press("[")
    time.sleep(0.5)
    pg.wait_path(path)
    assert pg.app("status") == "ready" and norm_path(pg.path()) == norm_path(path), "a key typed in a field moved the page"
    pg.p.fill("[data-testid=find-input]", "")
    # The browser's own Back and Forward move between the states visited.
    pg.p.go_back()
    pg.wait_path(prefix(path, n - 1))
    pg.p.go_forward()
    pg.wait_path(path)
    mer = pg.p.text_content("[data-testid=mermaid]")
    assert mer.startswith("sequenceDiagram"), f"Mermaid source: {mer[:80]!r}"
    _, api = pg.server.get("mermaid", path=path)
    assert mer.strip() == api["mermaid"].strip(), "the page's Mermaid source is not the API's"
    # The sequence diagram is drawn in the page: an <svg>, one arrow and one label per step.
    svg = pg.p.locator("[data-testid=diagram] > svg")
    assert svg.count() == 1, "no <svg> sequence diagram"
    assert svg.locator("g.step").count() == n, f"{svg.locator('g.step').count()} steps drawn for {n}"
    assert svg.locator("line.arrow").count() == n, "not one arrow per step"
    labels = svg.locator("text.label").all_text_contents()
    calls = [s["call"] for s in pg.server.get("state", path=path)[1]["steps"]]
    assert len(labels) == n and all(f"{i + 1}. {c}" in l for i, (l, c) in enumerate(zip(labels, calls))), f"labels {labels} calls {calls}"
    href = pg.p.get_attribute("[data-testid=download]", "href")
    pg.p.click("[data-testid=diagram-wide]")
    assert "wide" in pg.p.get_attribute("[data-testid=diagram]", "class"), "Enlarge does not widen the diagram"
    pg.p.click("[data-testid=diagram]")
    assert "wide" not in pg.p.get_attribute("[data-testid=diagram]", "class"), "a click does not close the wide diagram"
    assert urllib.parse.parse_qs(urllib.parse.urlparse(href).query).get("path", [""])[0] == path, f"download {href}"
    q = urllib.parse.parse_qs(urllib.parse.urlparse(href).query)
    assert q.get("claim") == [FOLLOWED] and q.get("step") == [str(n)], f"download {href}: the counterexample's claim"
    pg.expect_no_error("counterexample")
    return path


def search_from_here(pg, cex_path):
    log("find and the check from the state on screen: paths that start with its path")
    here = prefix(cex_path, 1)
    pg.p.evaluate("(p) => { location.hash = '#path=' + p; }", here)
    pg.wait_path(here)
    assert pg.p.inner_text("[data-testid=search-from]") == "from the state after step 1"
    expr = "delegate == member-1"
    status, api = pg.server.get("find", expr=expr, **{"from": here})
    assert status == 200 and api["result"] == "found", api
    assert norm_path(prefix(api["path"], 1)) == norm_path(here), f"find from {here}: {api}"
    pg.p.fill("[data-testid=find-input]", expr)
    pg.p.click("[data-testid=find]")
    pg.p.wait_for_function(
        "() => document.querySelector('[data-testid=notice]').textContent.startsWith('Found from the state after step 1')",
        timeout=CHECK_TIMEOUT_MS,
    )
    pg.wait_path(api["path"])
    assert norm_path(prefix(pg.path(), 1)) == norm_path(here), f"find from {here} went to {pg.path()}"
    assert pg.delegates() == "member-1"
    pg.p.fill("[data-testid=find-input]", "")
    # The check from there: every path it lists starts with the path to that state.
    pg.p.evaluate("(p) => { location.hash = '#path=' + p; }", here)
    pg.wait_path(here)
    pg.p.click("[data-testid=check]")
    pg.p.wait_for_function(
        "(h) => document.getElementById('check-panel').dataset.from === h && document.querySelectorAll('[data-testid=check-item]').length > 0"
        " && document.getElementById('check-progress').dataset.running === 'false'",
        arg=here, timeout=CHECK_TIMEOUT_MS,
    )
    pg.expect_no_error("check from step 1")
    assert "from the state after step 1" in pg.p.inner_text("[data-testid=check-status]")
    items = pg.p.eval_on_selector_all("[data-testid=check-item]", "els => els.map(e => [e.dataset.name, e.dataset.path])")
    _, api = pg.server.get("check", **{"from": here})
    assert api.get("from") == here, api
    assert items == [[p["name"], p["path"]] for p in api["properties"] if p.get("path") is not None], f"{items} vs {api}"
    for name, p in items:
        assert norm_path(prefix(p, 1)) == norm_path(here), f"{name}: {p} does not start with {here}"
    assert pg.p.locator("[data-testid=check-found-item]").count() == len(items), "discoveries not listed"
    # Following one goes to a path from the root, the steps to `here` first.
    name, p = items[0]
    pg.click_to(pg.p.locator(f"[data-testid=check-item][data-name='{name}']"))
    assert norm_path(pg.path()) == norm_path(p)
    pg.expect_no_error("a discovery of the check from step 1")


def successors_marked(pg, cex_path):
    log(f"the calls from a state marked with the properties they would break ({FOLLOWED})")
    n = len(tokens(cex_path))
    pg.p.evaluate("(p) => { location.hash = '#path=' + p; }", prefix(cex_path, n - 1))
    pg.wait_path(prefix(cex_path, n - 1))
    assert pg.prop_holds(FOLLOWED), f"{FOLLOWED} fails before its counterexample's last step"
    outs = pg.p.locator("[data-testid=outcome][data-outcome=ok]")
    last, clean = None, 0
    for i in range(outs.count()):
        o = outs.nth(i)
        breaks = [b for b in (o.get_attribute("data-breaks") or "").split(",") if b]
        if norm_path(o.get_attribute("data-path")) == norm_path(cex_path):
            last = o
        if not breaks:
            clean += 1
            assert "breaks" not in (o.get_attribute("class") or "").split(), "an outcome breaking nothing is marked"
    assert last is not None, "the counterexample's last call is not offered"
    breaks = (last.get_attribute("data-breaks") or "").split(",")
    assert FOLLOWED in breaks, f"the counterexample's last call is marked as breaking {breaks}"
    assert "breaks" in (last.get_attribute("class") or "").split(), "the breaking call is not styled apart"
    assert last.locator(f"[data-testid=breaks-property][data-name='{FOLLOWED}']").count() == 1, "the property is not named on the call"
    assert clean >= 1, "every accepted call is marked as breaking a property"
    pg.click_to(last)
    assert not pg.prop_holds(FOLLOWED), f"{FOLLOWED} holds after the call marked as breaking it"


def screenshot(pg, found):
    if os.environ.get("IDC_SCREENSHOT") != "1":
        return
    name = PHOTOGRAPHED if PHOTOGRAPHED in found else FOLLOWED
    log(f"screenshot of {name}'s last state -> docs/explore.png")
    pg.click_to(pg.p.locator(f"[data-testid=check-item][data-name='{name}']"))
    pg.p.evaluate("window.scrollTo(0, 0)")
    # The right column scrolled down to the sequence diagram (drawn as SVG in the page);
    # a smaller window than the test's keeps the picture small.
    pg.p.set_viewport_size({"width": 1440, "height": 900})
    pg.p.evaluate(
        "() => { const c = document.querySelector('.col-path');"
        " const d = document.getElementById('diagram');"
        " c.scrollTop = d.offsetTop - c.offsetTop - 40; }"
    )
    pg.p.screenshot(path=str(ROOT / "docs" / "explore.png"))
    pg.p.set_viewport_size({"width": 1600, "height": 1000})


def refused_call(pg):
    log("a refused call: member-1's RegisterDelegatedAdministrator at the initial state")
    pg.goto_initial()
    call = pg.p.locator("[data-testid=call][data-call=RegisterDelegatedAdministrator][data-caller=member-1]")
    assert call.count() >= 1, "member-1's RegisterDelegatedAdministrator is not listed"
    out = call.first.locator("[data-testid=outcome][data-outcome=refused]")
    assert out.count() >= 1, "no refused outcome"
    out = out.first
    assert out.get_attribute("data-error") == "AccessDeniedException", out.get_attribute("data-error")
    assert out.get_attribute("data-rule") == "DA-1", out.get_attribute("data-rule")
    shown = out.inner_text()
    assert "AccessDeniedException" in shown and "DA-1" in shown, f"the outcome shows {shown!r}"
    summary = out.locator("[data-testid=rule-summary]")
    assert summary.count() == 1 and summary.inner_text().strip(), "no rule summary"
    assert out.locator("[data-testid=rule-source]").count() == 1, "no rule source"
    # Each source key of the rule is a link to its page (docs/rules.md has the same URLs).
    links = out.locator("[data-testid=source-link]")
    assert links.count() >= 1, "the rule's sources are not links"
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href") or ""
        assert href.startswith("https://"), f"source link {i} goes to {href!r}"
    assert "refused" in (out.get_attribute("class") or ""), "refused outcomes are not styled apart"
    path = pg.click_to(out)
    assert pg.steps().count() == 2
    step = pg.p.locator("[data-testid=step][data-step='1']")
    assert step.get_attribute("data-outcome") == "refused"
    assert pg.changed_count() == 0, "a refused call highlights changes"
    t = step.inner_text()
    assert "AccessDeniedException" in t and "DA-1" in t, f"the refused step shows {t!r}"
    assert pg.delegates() == "", "a refused call changed the registry"
    return path


def branch_off(pg, cex_path):
    log("branching off a counterexample at step 1")
    n = len(tokens(cex_path))
    assert n >= 2, f"{cex_path}: too short to branch"
    pg.p.click("[data-testid=check-item][data-name='%s']" % FOLLOWED)
    pg.wait_path(cex_path)
    mid = prefix(cex_path, 1)
    pg.click_to(pg.p.locator("[data-testid=step][data-step='1']"))
    before = pg.hash_path()
    assert norm_path(before) == norm_path(mid)
    nxt = norm_path(prefix(cex_path, 2))
    outs = pg.p.locator("[data-testid=outcome][data-outcome=ok]")
    target = None
    for i in range(outs.count()):
        o = outs.nth(i)
        if norm_path(o.get_attribute("data-path")) != nxt:
            target = o
            break
    assert target is not None, "no other accepted call to branch with"
    new = pg.click_to(target)
    after = pg.hash_path()
    assert after != before, "the URL did not change"
    assert norm_path(after) == norm_path(new)
    assert tokens(norm_path(after))[:1] == tokens(norm_path(mid)) and len(tokens(after)) == 2, after
    assert norm_path(after) != nxt, "the branch is the counterexample's own step"
    assert pg.p.is_disabled("[data-testid=forward]"), "Forward still leads along the old path"
    assert pg.steps().count() == 3
    return after


def download_and_replay(pg, idc, tmp):
    log("downloading the trace and replaying it with idc replay")
    path = pg.path()
    with pg.p.expect_download() as d:
        pg.p.click("[data-testid=download]")
    f = Path(tmp) / "downloaded.json"
    d.value.save_as(str(f))
    trace = json.loads(f.read_text())
    assert trace.get("format") == "idc-trace", trace
    assert len(trace["steps"]) == len(tokens(path)), f"{len(trace['steps'])} steps for path {path}"
    assert trace.get("config", {}).get("members") == 1, trace.get("config")
    # The path branched off the counterexample before its claimed step: no claim.
    assert "claim" not in trace, trace.get("claim")
    r = subprocess.run([str(idc), "replay", str(f)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, f"idc replay exit {r.returncode}:\n{r.stdout}\n{r.stderr}"
    assert "reproduced" in r.stdout, r.stdout


def queries(pg):
    log("queries: found, not found, malformed")
    pg.goto_initial()
    pg.p.fill("[data-testid=find-input]", "delegate == member-1")
    pg.p.click("[data-testid=find]")
    pg.p.wait_for_function(
        "() => { const a = document.getElementById('app'); return a.dataset.status === 'ready' && a.dataset.path !== ''; }",
        timeout=CHECK_TIMEOUT_MS,
    )
    pg.wait_path(pg.hash_path())
    pg.expect_no_error("find delegate == member-1")
    assert pg.delegates() == "member-1", f"the query's state shows delegates {pg.delegates()!r}"
    assert "member-1" in pg.p.inner_text("[data-testid=registry]")
    notice = pg.p.inner_text("[data-testid=notice]")
    assert notice.startswith("Found"), notice
    found_path = pg.path()

    pg.p.fill("[data-testid=find-input]", "delegate == management")
    pg.p.click("[data-testid=find]")
    pg.p.wait_for_function(
        "() => document.querySelector('[data-testid=notice]').textContent.startsWith('Not found')",
        timeout=CHECK_TIMEOUT_MS,
    )
    assert pg.path() == found_path, "a query found nothing and the page moved"

    bad = "delegate = member-1"
    pg.p.fill("[data-testid=find-input]", bad)
    pg.p.click("[data-testid=find]")
    err = pg.p.locator("[data-testid=error]")
    err.wait_for(state="visible", timeout=TIMEOUT_MS)
    text = err.inner_text()
    status, body = pg.server.get("find", expr=bad)
    assert status == 400, f"GET find?expr={bad!r}: {status} {body}"
    assert text.strip() == body["error"].strip(), f"the page shows {text!r}, the API says {body['error']!r}"
    assert "\n" not in text.strip(), "the error is not one line"
    box = err.bounding_box()
    assert box and box["height"] < 40, f"the error takes {box} (not one line)"
    assert pg.path() == found_path, "a bad query moved the page"
    return found_path


def columns(pg, found_path):
    log("a query added as a column of the path shows its value at every step")
    n = pg.steps().count()
    for expr in ["delegate", "reaches(user-1, management)"]:
        pg.p.fill("[data-testid=find-input]", expr)
        pg.p.click("[data-testid=show-add]")
        cells = pg.p.locator(f'[data-testid=shown][data-expr="{expr}"]')
        pg.p.wait_for_function(
            "([e, n]) => document.querySelectorAll(`[data-testid=shown][data-expr=\"${e}\"]`).length === n",
            arg=[expr, n],
            timeout=TIMEOUT_MS,
        )
        pg.expect_no_error(f"add column {expr}")
        tip = pg.steps().nth(n - 1).get_attribute("data-path")
        status, body = pg.server.get("show", path=tip, expr=expr)
        assert status == 200, f"GET show?expr={expr!r}: {status} {body}"
        shown = [cells.nth(i).get_attribute("data-value") for i in range(n)]
        want = [str(v).lower() if isinstance(v, bool) else v for v in body["values"]][:n]
        assert shown == want, f"column {expr}: the page shows {shown}, the API says {want}"
        for i in range(n):
            step = pg.steps().nth(i)
            assert step.locator(f'[data-testid=shown][data-expr="{expr}"]').count() == 1, f"step {i} has no {expr}"
    delegate = pg.p.locator('[data-testid=shown][data-expr="delegate"]')
    assert delegate.nth(0).get_attribute("data-value") == "none"
    assert delegate.nth(n - 1).get_attribute("data-value") == "member-1"
    assert delegate.nth(n - 1).inner_text() == "delegate = member-1"
    bad = "delegate =="
    pg.p.fill("[data-testid=find-input]", bad)
    pg.p.click("[data-testid=show-add]")
    err = pg.p.locator("[data-testid=error]")
    err.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert "column 12" in err.inner_text(), err.inner_text()
    assert pg.p.locator("[data-testid=show-column]").count() == 2
    assert pg.path() == found_path, "adding a column moved the page"


def reload_keeps_state(pg, expected):
    log("reloading keeps the state (the URL names the path)")
    steps_before = pg.steps().count()
    reg_before = pg.delegates()
    pg.p.reload()
    pg.wait_path(expected)
    assert norm_path(pg.hash_path()) == norm_path(expected)
    assert pg.steps().count() == steps_before, "the reload changed the steps"
    assert pg.delegates() == reg_before
    pg.expect_no_error("reload")


def bad_path(pg):
    log("a bad path in the URL: one line of error on the page")
    pg.p.evaluate("location.hash = '#path=99999'")
    err = pg.p.locator("[data-testid=error]")
    err.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert err.inner_text().strip(), "an empty error"
    pg.goto_initial()
    pg.expect_no_error("after a bad path, the initial state")


def upload(pg, model):
    log("uploading a trace file")
    pg.goto_initial()
    pg.p.set_input_files("[data-testid=upload-file]", str(TRACE))
    pg.p.click("[data-testid=upload]")
    pg.wait_path(model["traces"][0]["path"])
    pg.expect_no_error("upload")
    assert pg.delegates() == "member-1"


def design_page(ctx, idc, page_errors):
    """`idc explore --design`: the page opens at the design's start state, shows the
    design's names for the accounts and its threat model, and lists no call the threat
    model forbids."""
    log("a design: its start state, its names, its threat model")
    server = Server(idc, ["--design", str(DESIGN), "--port", "0"])
    try:
        status, model = server.get("model")
        assert status == 200 and model["config"]["accounts"]["member-1"] == "security-tooling", model
        page = ctx.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.on("pageerror", lambda e: page_errors.append(str(e)))
        pg = Page(page, server)
        page.goto(server.url)
        pg.wait_path("")
        pg.expect_no_error("design start")
        text = page.inner_text("body")
        assert "security-tooling (member-1)" in text, "the design's name for member-1 is not shown"
        assert "org-root (management)" in text, "the design's name for management is not shown"
        threat = page.inner_text("[data-testid=threat]")
        assert "threat model" in threat and "org-root (management) makes only" in threat, f"threat line {threat!r}"
        assert "start state" in page.inner_text("#where"), "the page does not say it is at the design's start"
        heads = page.locator("[data-testid=diagram] svg g.head text").all_text_contents()
        assert "org-root (management)" in heads, f"the diagram's lifelines {heads} do not use the design's names"
        assert page.inner_text("[data-testid=search-from]") == "from the start state"
        # The start call ran: Identity Center is enabled in management.
        assert "org-root (management)" in page.inner_text("[data-testid=instance]")
        forbidden = page.locator("[data-testid=call][data-call=DeleteInstance]")
        assert forbidden.count() == 0, "a call the threat model forbids is listed (DeleteInstance)"
        outside = page.locator("[data-testid=call][data-caller=management][data-call=EnableIdentityCenter]")
        assert outside.count() == 0, "a call outside management's runbook is listed"
        allowed = page.locator("[data-testid=call][data-caller=management][data-call=RegisterDelegatedAdministrator]")
        assert allowed.count() >= 1, "the runbook's RegisterDelegatedAdministrator is not listed"
        group = page.locator("[data-testid=caller-group][data-caller=member-1] summary")
        assert "security-tooling (member-1)" in group.inner_text(), "the caller group is not named"
        page.close()
    finally:
        server.stop()


def main():
    idc = Path(os.environ.get("IDC_BIN", "target/release/idc"))
    if not idc.is_absolute():
        idc = ROOT / idc
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    assert idc.exists(), f"{idc}: no such binary (cargo build --release --bin idc, or set IDC_BIN)"
    assert Path(chromium).exists(), f"{chromium}: no browser (apt-get install -y chromium, or set CHROMIUM)"

    print(f"test_explore: {idc} explore --members 1 --port 0 {TRACE.relative_to(ROOT)}", flush=True)
    tmp = tempfile.mkdtemp(prefix="idc-explore-test-")
    server = None
    page = None
    failed = False
    page_errors = []
    try:
        server = Server(idc, ["--members", "1", "--port", "0", str(TRACE)])
        log(f"server at {server.url}")
        status, model = server.get("model")
        assert status == 200 and model.get("format") == "idc-explore" and model.get("version") == 1, model
        status, progress = server.get("check/progress")
        assert status == 200 and progress == {"running": False, "done": False}, f"check/progress before any check: {progress}"
        with sync_playwright() as p:
            ctx = p.chromium.launch_persistent_context(
                str(Path(tmp) / "profile"),
                executable_path=chromium,
                headless=os.environ.get("IDC_HEADFUL") != "1",
                args=CHROMIUM_ARGS if os.environ.get("IDC_HEADFUL") != "1" else CHROMIUM_ARGS[:1],
                viewport={"width": 1600, "height": 1000},
                accept_downloads=True,
            )
            try:
                page = ctx.new_page()
                page.set_default_timeout(TIMEOUT_MS)
                page.on("pageerror", lambda e: page_errors.append(str(e)))
                pg = Page(page, server)
                check_initial(pg, model)
                check_trace_start(pg, model)
                found = run_check(pg)
                cex = follow_counterexample(pg, found)
                successors_marked(pg, cex)
                screenshot(pg, found)
                refused_call(pg)
                branch_off(pg, cex)
                download_and_replay(pg, idc, tmp)
                q = queries(pg)
                columns(pg, q)
                reload_keeps_state(pg, q)
                bad_path(pg)
                upload(pg, model)
                search_from_here(pg, cex)
                design_page(ctx, idc, page_errors)
                assert not page_errors, f"uncaught errors in the page: {page_errors}"
            except BaseException:
                failed = True
                shot = Path(tmp) / "failure.png"
                try:
                    page.screenshot(path=str(shot), full_page=True)
                    print(f"test_explore: screenshot of the failure: {shot}", file=sys.stderr)
                except Exception:
                    pass
                raise
            finally:
                ctx.close()
    except BaseException as e:
        failed = True
        print("test_explore: FAILED", file=sys.stderr)
        traceback.print_exc()
        if page_errors:
            print(f"test_explore: page errors: {page_errors}", file=sys.stderr)
        if server is not None and server.stderr:
            print("test_explore: the server's stderr:\n" + "".join(server.stderr[-50:]), file=sys.stderr)
        if isinstance(e, KeyboardInterrupt):
            raise
    finally:
        if server is not None:
            server.stop()
        if not failed:
            shutil.rmtree(tmp, ignore_errors=True)
    if failed:
        sys.exit(1)
    print("test_explore: ok", flush=True)


if __name__ == "__main__":
    main()
