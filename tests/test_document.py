"""The plan document: one self-contained page from the same plan the terminal shows, checked for its
content, for loading nothing from outside, for escaping, and in a real browser (headless Chromium)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import TODAY, Invoke
from tripplan.catalog import Catalog


def _make(
    run: Invoke, tmp_path: Path, nationality: str, *extra: str, lang: str = "en"
) -> tuple[str, dict[str, object]]:
    page = tmp_path / f"plan-{nationality}.html"
    args = ("schedule", "--harvest", "2027-03-01", "--from", nationality, "--joint", "knee", *extra)
    env = {"TRIPPLAN_LANG": lang}
    result = run(*args, "--html", str(page), "--force", env=env)
    assert result.exit_code == 0, result.stderr
    return page.read_text("utf-8"), json.loads(run(*args, "--json", env=env).stdout)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "data", "action", "poster", "xlink:href"):
                self.refs.append((tag, name, value or ""))


@pytest.mark.parametrize("nationality", ["US", "CN"])
def test_every_date_total_and_rate_equals_the_plan(run: Invoke, tmp_path: Path, nationality: str) -> None:
    page, plan = _make(run, tmp_path, nationality)
    times = set(re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', page))
    page = re.sub(r"<[^>]+>", "", page)  # the text a reader sees (dates and ids are held whole by spans)
    for visit in plan["visits"]:  # type: ignore[attr-defined]
        for key in ("leave_home", "arrive", "depart", "arrive_home"):
            assert visit[key] in times, (key, visit[key])
    assert {plan["harvest"], plan["injection"], plan["consultation"]} <= times
    assert all(step["date"] in times for step in plan["steps"])  # type: ignore[attr-defined]
    cost = plan["cost"]
    assert isinstance(cost, dict)
    for key in ("treatment", "travel", "total"):
        assert f"${cost[key]['low']:,} – ${cost[key]['high']:,}" in page
    home = cost["home"]
    if nationality == "CN":
        assert f"CN¥{home['low']:,} – CN¥{home['high']:,}" in page
        assert f"1 USD = {home['rate']:g} CNY ({home['rate_source']}, as of {home['as_of']}" in page
        assert "Apply by 15 January 2027" in page  # 6 weeks before arrival is a Sunday: the Friday before
    assert plan["visa"]["advice"].replace("'", "&#39;") in page  # type: ignore[index]
    assert "tripplan plans trips; it gives no medical advice." in page


def test_loads_nothing_from_outside(run: Invoke, tmp_path: Path) -> None:
    page, _ = _make(run, tmp_path, "CN")
    parser = Links()
    parser.feed(page)
    assert not parser.tags & {"script", "link", "img", "iframe", "object", "embed", "video", "audio", "base"}
    from tripplan.loader import load_catalog

    cited = {s.url for s in load_catalog(None, use_cache=False).sources.values() if s.url}
    for tag, name, value in parser.refs:
        assert (tag, name) == ("a", "href"), (tag, name, value)
        assert value.startswith("#") or value in cited, value  # only links to the cited sources
    assert "@import" not in page
    assert "url(" not in page


def test_text_from_data_is_escaped(run: Invoke, tmp_path: Path, data_dir: Path) -> None:
    (data_dir / "clinics.toml").write_text(
        '[[clinics]]\nid = "evil"\nname = "<script>alert(1)</script> & Co"\ncity = "Tokyo"\ncountry = "JP"\n'
        'cell_source = "adipose"\nprocessing = "cultured"\nlicence = "<img src=x onerror=alert(1)>"\n'
        '[[clinics.quotes]]\ntreatment = "cultured <b>MSC</b>"\njoints = ["knee"]\nlow = 9000\nhigh = 12000\n'
        'currency = "USD"\n',
        encoding="utf-8",
    )
    page, _ = _make(run, tmp_path, "US", "--clinic", "evil")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
    assert "<img" not in page
    assert "&lt;b&gt;MSC&lt;/b&gt;" in page


def test_a_saved_plan_becomes_a_document(run: Invoke, tmp_path: Path) -> None:
    saved = tmp_path / "plan.toml"
    assert run("schedule", "--harvest", "2027-03-01", "--from", "CN", "--save", str(saved)).exit_code == 0
    page = tmp_path / "from-plan.html"
    assert run("schedule", "--plan", str(saved), "--html", str(page)).exit_code == 0
    assert "Treatment trip plan: Japan (knee)" in page.read_text("utf-8")


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Chromium (.ci/run installs Debian's chromium)")
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    return found


def _browser(tmp_path: Path, *args: str) -> None:
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args]
    done = subprocess.run(
        cmd, capture_output=True, text=True, timeout=120, cwd=tmp_path, env={**os.environ, "HOME": str(tmp_path)}
    )
    assert done.returncode == 0, done.stderr[-2000:]


def _not_blank(png: Path) -> None:
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG")
    chunks, i = b"", 8
    while i < len(data):
        n = int.from_bytes(data[i : i + 4], "big")
        if data[i + 4 : i + 8] == b"IDAT":
            chunks += data[i + 8 : i + 8 + n]
        i += 12 + n
    raw = zlib.decompress(chunks)
    # a blank page filters to runs of zeros; a drawn page has every kind of byte
    assert len(set(raw)) > 200
    assert sum(1 for b in raw[::97] if b) / len(raw[::97]) > 0.02


@pytest.mark.parametrize(("nationality", "lang"), [("US", "en"), ("CN", "en"), ("CN", "zh")])
def test_chromium_draws_and_prints_the_page(run: Invoke, tmp_path: Path, nationality: str, lang: str) -> None:
    """Screenshots at 1280 and 390 px and a PDF print; with TRIPPLAN_SCREENSHOTS set (CI), the pictures are
    kept in that folder to be looked at (the Chinese page: no missing glyph, nothing cut or overlapping)."""
    _make(run, tmp_path, nationality, lang=lang)
    url = (tmp_path / f"plan-{nationality}.html").as_uri()
    keep = os.environ.get("TRIPPLAN_SCREENSHOTS")
    for name, size in (("desktop", "1280,2000"), ("phone", "390,2000")):
        shot = tmp_path / f"{nationality}-{lang}-{name}.png"
        _browser(tmp_path, f"--window-size={size}", f"--screenshot={shot}", url)
        _not_blank(shot)
        if keep:
            shutil.copyfile(shot, Path(keep) / shot.name)
    pdf = tmp_path / f"{nationality}-{lang}.pdf"
    _browser(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", url)
    if keep:
        shutil.copyfile(pdf, Path(keep) / pdf.name)
    if lang == "zh":  # the Chinese is set in the page's CJK font (Debian's fonts-noto-cjk), not as missing glyphs
        assert re.search(rb"/FontName\s*/[A-Z]{6}\+NotoSansCJKsc-", pdf.read_bytes())
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert 2 <= pages <= 6, pages


PROBE = """<script>
window.addEventListener('load', () => {
  const W = window.innerWidth, out = ['width ' + document.documentElement.scrollWidth + ' ' + W];
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.right > W + 1 && !e.closest('.wide')) out.push('WIDE ' + e.tagName + ' ' + Math.round(r.right));
    const size = parseFloat(getComputedStyle(e).fontSize);
    if (e.childNodes.length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && size < 11)
      out.push('SMALL ' + e.tagName + ' ' + size);
  }
  for (const e of document.querySelectorAll('time, code, a.src, td.num, .nowrap'))
    if (e.getClientRects().length > 1) out.push('BROKEN ' + e.textContent);
  const pre = document.createElement('pre'); pre.id = 'probe'; pre.textContent = out.join('\\n');
  parent.document.body.appendChild(pre);
});
</script>"""


@pytest.mark.parametrize(("nationality", "lang"), [("US", "en"), ("CN", "en"), ("CN", "zh")])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_page_fits_the_screen_and_keeps_dates_and_ids_whole(
    run: Invoke, tmp_path: Path, nationality: str, width: int, lang: str
) -> None:
    """In a real browser at a phone's 390 px and a desktop's 1280 px (an iframe of that width, as headless
    Chromium will not open a window under 500 px): no element wider than the screen outside a box that
    scrolls, no text under 11 px, no date, id or amount broken across lines (in Chinese too)."""
    page, _ = _make(run, tmp_path, nationality, lang=lang)
    (tmp_path / "probed.html").write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    frame = f'<iframe src="probed.html" style="border:0;width:{width}px;height:3000px"></iframe>'
    (tmp_path / "frame.html").write_text(f"<!DOCTYPE html><body style='margin:0'>{frame}</body>", encoding="utf-8")
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files"]
    cmd += ["--window-size=1300,3000", "--virtual-time-budget=5000", "--dump-dom", (tmp_path / "frame.html").as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stderr[-1000:]
    lines = found.group(1).splitlines()
    _, scrolled, screen = lines[0].split()
    assert int(scrolled) <= int(screen), lines[0]  # the page scrolls down, never sideways
    assert lines[1:] == []


@pytest.mark.parametrize(("nationality", "lang"), [("US", "en"), ("CN", "en"), ("CN", "zh")])
@pytest.mark.parametrize(("paper", "size"), [("Letter", "8.5in 11in"), ("A4", "210mm 297mm")])
def test_the_plan_prints_on_six_pages_at_most(
    run: Invoke, tmp_path: Path, nationality: str, paper: str, size: str, lang: str
) -> None:
    page, _ = _make(run, tmp_path, nationality, lang=lang)
    sized = tmp_path / f"{paper}.html"
    sized.write_text(page.replace("<style>", f"<style>@page {{ size: {size}; }}", 1), encoding="utf-8")
    pdf = tmp_path / f"{paper}.pdf"
    _browser(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", sized.as_uri())
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert 2 <= pages <= 6, (nationality, paper, pages)


def test_the_first_printed_page_is_the_plan_at_a_glance(run: Invoke, tmp_path: Path) -> None:
    page, _ = _make(run, tmp_path, "CN")
    glance = page[page.index('id="glance"') : page.index('id="calendar"')]
    for label in ("Destination", "Clinic", "Visit 1 (harvest)", "Injection", "Total cost (USD)", "Visa", "Red flags"):
        assert f"<dt>{label}" in glance, label
    assert glance.count("Next steps") == 1
    assert "#glance { break-after: page; }" in page  # printed, the glance is the first page on its own


def test_labels_say_what_is_compared_and_no_punctuation_is_stray(run: Invoke, tmp_path: Path) -> None:
    page, _ = _make(run, tmp_path, "US")
    assert "The same treatment at home" not in page
    assert "At home (United States): same-day cells" in page  # the rows of the US protocol's kind
    assert ".;" not in page  # was "tendon).; printed as …"
    assert "tendon). (the source prints 46,000–108,000 CNY" in re.sub(r"<[^>]+>", "", page)  # the terminal's words


def test_the_doctor_gets_the_cell_count_or_not_given(run: Invoke, tmp_path: Path) -> None:
    japan, _ = _make(run, tmp_path, "US")
    doctor = japan[japan.index('id="doctor"') : japan.index('id="sources"')]
    assert "Cell count (dose)</th><td>100 million - 300 million+ (cultured)" in doctor.replace("\n", "")
    assert "Source tissue" not in doctor  # the same words as "Cells" when no clinic is chosen
    korea = run(
        "schedule", "--harvest", "2027-03-02", "--to", "KR", "--from", "US", "--html", str(tmp_path / "kr.html")
    )
    assert korea.exit_code == 0, korea.stderr
    text = (tmp_path / "kr.html").read_text("utf-8")
    assert "Cell count (dose)</th><td>not given by the sources" in text


def test_the_document_reads_flags_and_safety_from_the_plan(cat: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page computes nothing the plan lacks: the flags and the safety line are the plan's own."""
    from dataclasses import replace

    import tripplan.redflags
    import tripplan.safety
    from tripplan.document import build_document
    from tripplan.schedule import PlanRequest, plan_for

    plan = plan_for(
        cat=cat,
        request=PlanRequest(
            destination="JP", clinic="jp-tokyo-cultured-adipose", harvest=TODAY + dt.timedelta(days=90)
        ),
        today=TODAY,
    )
    assert plan.red_flags is not None
    assert plan.safety is not None

    def refuse(**_: object) -> None:
        raise AssertionError("the document recomputed what the plan holds")

    monkeypatch.setattr(tripplan.redflags, "check_clinic", refuse)
    monkeypatch.setattr(tripplan.safety, "summary", refuse)
    doc = build_document(cat=cat, plan=plan, today=TODAY, version="t", disclaimer="d")
    assert doc.flags == plan.red_flags.flags
    assert doc.safety == plan.safety
    marked = replace(plan, safety=replace(plan.safety, text="SENTINEL"))
    doc = build_document(cat=cat, plan=marked, today=TODAY, version="t", disclaimer="d")
    assert any("SENTINEL" in value for _, value in doc.glance)


def test_dates_in_a_note_are_held_whole_in_the_page() -> None:
    """A date inside a sentence (the timeline's notes) is one unbreakable piece, not a year and a month-day."""
    from tripplan.render.html import keep

    held = str(keep("2 nights, until 2027-03-02; permitted from 2027-04-20"))
    assert '<span class="nowrap">2027-03-02</span>' in held
    assert '<span class="nowrap">2027-04-20</span>' in held
