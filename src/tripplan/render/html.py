"""The plan as one self-contained HTML page (styles inside, pictures as inline SVG, no script): the same plan
the terminal shows, for the family, the doctor at home and the clinic. Everything from data is escaped,
with hidden characters shown (textsafe.visible, applied to every expression the template prints), and
only http(s) addresses become links (textsafe.web_address); any other address is plain text."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from tripplan import DISCLAIMER, __version__
from tripplan.document import build_document
from tripplan.money import Span, fmt_span

if TYPE_CHECKING:
    from tripplan.catalog import Catalog
    from tripplan.plans import OpenedPlan
    from tripplan.schedule import Plan

CLASSES = {"H": "harvest", "I": "injection", "X": "closed", "?": "maybe", "V": "visit", "W": "window"}


def _span(x: Any) -> str:
    return fmt_span(Span(low=x.low, high=x.high, open_high=x.open_high))


def plan_to_html(cat: Catalog, plan: Plan, *, today: dt.date, opened: OpenedPlan | None = None) -> bytes:
    """The page, made today (source ages are counted to today); `opened` adds the patient label to the
    title and what changed since the plan was saved."""
    import jinja2
    from markupsafe import Markup

    from tripplan.textsafe import visible, web_address

    def shown(value: Any) -> Any:
        """Every printed expression: text with its hidden characters made visible (Markup is built below
        from values that were)."""
        return visible(value) if isinstance(value, str) and not isinstance(value, Markup) else value

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("tripplan", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        finalize=shown,
    )
    env.tests["web_address"] = web_address
    from tripplan.holiday_table import holidays_release

    doc = build_document(
        cat=cat,
        plan=plan,
        today=today,
        version=__version__,
        disclaimer=DISCLAIMER,
        patient=opened.patient if opened else None,
        changed=[str(c) for c in opened.changed_since_saved] if opened else [],
        saved_on=opened.saved_on if opened else None,
        holidays_release=holidays_release(),
    )
    listed = {s.id for s in doc.sources}

    def src(sid: str) -> Markup:
        """A source id as a link to its row in the Sources section (plain text when it has none)."""
        if not sid:
            return Markup("")
        if sid in listed:
            return Markup('<a href="#src-{0}">{0}</a>').format(visible(sid))
        return Markup("{0}").format(visible(sid))

    page = env.get_template("plan.html.j2").render(
        src=src,
        d=doc,
        span=_span,
        fmt=fmt_span,
        country=cat.country_name,
        legend_class=CLASSES,
    )
    return page.encode("utf-8")
