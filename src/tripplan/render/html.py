"""The plan as one self-contained HTML page (styles inside, pictures as inline SVG, no script): the same plan
the terminal shows, for the family, the doctor at home and the clinic. Everything from data is escaped."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tripplan import DISCLAIMER, __version__
from tripplan.dateformat import day_short, day_words
from tripplan.document import build_document
from tripplan.i18n import N_
from tripplan.money import Span, fmt_span
from tripplan.wording import STAY_FITS, at_home_label, source_kind, source_row_note

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

    from tripplan.catalog import Catalog
    from tripplan.plans import OpenedPlan
    from tripplan.schedule import Plan

# TRANSLATORS: the month calendar's weekday heads, Monday to Sunday (two letters in English)
WEEKDAY_HEADS = (N_("Mo"), N_("Tu"), N_("We"), N_("Th"), N_("Fr"), N_("Sa"), N_("Su"))
# the words of wording.STAY_FITS, marked for translation here (shown through `_()` below)
STAY_FITS_WORDS = (N_("fits"), N_("too long"), N_("visa needed"))
CLASSES = {"H": "harvest", "I": "injection", "X": "closed", "?": "maybe", "V": "visit", "W": "window"}


def _span(x: Any) -> str:
    return fmt_span(Span(low=x.low, high=x.high, open_high=x.open_high))


TEMPLATE = "plan.html.j2"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"  # the package's own folder, as data/ is read


def template_source() -> str:
    """The template's text, read from the package's folder (a plain path: importlib.resources, which only
    adds support for zipped packages tripplan is never installed as, costs more to import than the read)."""
    return (TEMPLATES / TEMPLATE).read_text(encoding="utf-8")


def template_key(source: str) -> str:
    """What the compiled template was made from: the template's text and the Jinja2 release."""
    import hashlib

    import jinja2

    return hashlib.sha256(f"{jinja2.__version__}\0{source}".encode()).hexdigest()


def keep(text: object) -> Markup:
    """The `keep` filter: text escaped like any text, with every figure of money, date and id held on one
    line (a cell may wrap between words, never inside one of those)."""
    from markupsafe import Markup

    from tripplan.render.common import WHOLE
    from tripplan.textsafe import visible

    plain = visible(str(text))
    out, pos = Markup(""), 0
    for m in WHOLE.finditer(plain):
        if len(m.group()) > 4:
            out += plain[pos : m.start()] + Markup('<span class="nowrap">{0}</span>').format(m.group())
            pos = m.end()
    return out + plain[pos:]


def _shown(value: Any) -> Any:
    """Every printed expression: text with its hidden characters made visible (Markup is built from values
    that were)."""
    from markupsafe import Markup

    from tripplan.textsafe import visible

    return visible(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _environment() -> jinja2.Environment:
    import jinja2

    from tripplan.i18n import _, ngettext
    from tripplan.textsafe import web_address
    from tripplan.wording import ended

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        finalize=_shown,
    )
    env.filters["keep"] = keep
    env.filters["ended"] = ended
    env.tests["web_address"] = web_address
    # the page's words in the language being spoken: `_()` and `ngettext()` in the template (newstyle: the
    # result is Markup, so `.format()` escapes each value it is given)
    env.install_gettext_callables(gettext=_, ngettext=ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


def _time(day: dt.date, text: str) -> Markup:
    """A date in words, marked up with its ISO date (`<time datetime>`)."""
    from markupsafe import Markup

    from tripplan.textsafe import visible

    return Markup('<time datetime="{0}">{1}</time>').format(day.isoformat(), visible(text))


def _bold(text: Markup) -> Markup:
    """Text set in bold (`<strong>`), escaped unless it is markup already."""
    from markupsafe import Markup

    return Markup("<strong>{0}</strong>").format(text)


KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")  # hiragana, katakana: only Japanese has them


def _own_lang(text: str) -> Markup:
    """` lang="ja"` for a source's title or publisher written in Japanese (it has kana), so a page in another
    language sets its kanji in Japanese forms; nothing otherwise (the page's own language applies)."""
    from markupsafe import Markup

    return Markup(' lang="ja"') if KANA.search(text) else Markup("")


def _code(text: str) -> Markup:
    """A command as the page shows it (`<code>`)."""
    from markupsafe import Markup

    from tripplan.textsafe import visible

    return Markup("<code>{0}</code>").format(visible(text))


def compile_template() -> str:
    """The template compiled to Python (Jinja2's own code generator), headed by its key: what
    scripts/build_template.py writes to render/plan_template.py."""
    source = template_source()
    code = _environment().compile(source, name=TEMPLATE, filename=TEMPLATE, raw=True, defer_init=True)
    return (
        "# mypy: ignore-errors\n# ruff: noqa\n"
        f'"""Generated by scripts/build_template.py from templates/{TEMPLATE}; do not edit."""\n'
        f'KEY = "{template_key(source)}"\n' + str(code) + "\n"
    )


def _template(env: jinja2.Environment) -> jinja2.Template:
    """The page's template: the copy compiled when the package was built (imported like any module, so
    Python's bytecode cache applies) when it was made from this very template text and Jinja2 release;
    otherwise (a template edited in place) compiled from the text, as Jinja2 always does."""
    try:
        from tripplan.render import plan_template
    except ImportError:
        plan_template = None  # type: ignore[assignment]
    if plan_template is not None and template_key(template_source()) == plan_template.KEY:
        compiled: jinja2.Template = env.template_class.from_module_dict(
            env, vars(plan_template), env.make_globals(None)
        )
        return compiled
    return env.get_template(TEMPLATE)


def plan_to_html(cat: Catalog, plan: Plan, *, today: dt.date, opened: OpenedPlan | None = None) -> bytes:
    """The page, made today (source ages are counted to today); `opened` adds the patient label to the
    title and what changed since the plan was saved."""
    from markupsafe import Markup

    from tripplan.holiday_table import holidays_release
    from tripplan.i18n import _
    from tripplan.textsafe import visible

    env = _environment()

    doc = build_document(
        cat=cat,
        plan=plan,
        today=today,
        version=__version__,
        disclaimer=_(DISCLAIMER),
        patient=opened.patient if opened else None,
        changed=[str(c) for c in opened.changed_since_saved] if opened else [],
        saved_on=opened.saved_on if opened else None,
        holidays_release=holidays_release(),
    )
    listed = {s.id for s in doc.sources}
    # sources cited only by the full regulatory record, which the printed plan leaves to the screen
    record_only = {sid for a in doc.actions for sid in a.sources} - {c.id for c in plan.sources}
    record_only -= {sid for f in doc.flags for sid in f.sources}
    record_only -= {f.source for f in doc.figures} | {s for r in doc.home_rules for s in r.sources}
    record_only -= {d.source for d in doc.data_sets if d.source} | {o.source for o in doc.optional_lines}

    def src(sid: str) -> Markup:
        """A source id as a link to its row in the Sources section (plain text when it has none)."""
        if not sid:
            return Markup("")
        if sid in listed:
            return Markup('<a class="src" href="#src-{0}">{0}</a>').format(visible(sid))
        return Markup("{0}").format(visible(sid))

    page = _template(env).render(
        src=src,
        d=doc,
        span=_span,
        fmt=fmt_span,
        country=cat.country_name,
        legend_class=CLASSES,
        weekdays=[_(w) for w in WEEKDAY_HEADS],
        stay_fits={k: _(v) for k, v in STAY_FITS.items()},
        time=_time,
        code=_code,
        bold=_bold,
        own_lang=_own_lang,
        label=cat.label,
        kind=source_kind,
        day=day_short,
        words=day_words,
        row_note=source_row_note,
        at_home=at_home_label,
        record_only=record_only,
    )
    return page.encode("utf-8")
