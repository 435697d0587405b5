"""The trip options quote and compare share are declared once (cli_common.TripOptions) and handed over once:
each field is an option of both commands, with one help text, in the order --help has always shown."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import typer

from tests.conftest import Invoke
from tripplan import cli
from tripplan.cli_common import TripOptions, trip_options

FIELDS = [f.name for f in dataclasses.fields(TripOptions)]


def _command(name: str) -> Any:
    return typer.main.get_command(cli.app).get_command(None, name)  # type: ignore[attr-defined]


def _options(name: str) -> dict[str, Any]:
    return {p.name: p for p in _command(name).params}


def test_every_trip_option_is_an_option_of_quote_and_compare_alike() -> None:
    quote, compare = _options("quote"), _options("compare")
    for name in FIELDS:
        assert name in quote, name
        assert name in compare, name
        q, c = quote[name], compare[name]
        assert (q.opts, q.help, q.default, q.is_flag) == (c.opts, c.help, c.default, c.is_flag), name


def test_help_keeps_the_order_it_always_had() -> None:
    quote = [p.name for p in _command("quote").params]
    compare = [p.name for p in _command("compare").params]
    assert quote[:6] == ["nationality", "joint", "condition", "treatment", "to", "clinic"]
    assert quote[6:23] == [*FIELDS[3:], "details", "json", "lang"][:17]
    assert compare[:5] == ["countries", "nationality", "joint", "condition", "treatment"]
    assert compare[compare.index("rate") + 1 : compare.index("rate") + 3] == ["sort", "fly_early"]


def test_a_field_added_to_trip_options_reaches_the_command_gathered() -> None:
    """The decorator gives a command every field as a parameter where `trip` stands, and calls it with
    them gathered into one TripOptions (the command's own parameters passed as they are)."""
    seen: list[Any] = []

    @trip_options(placed={"mine": "joint"})
    def command(first: int, *, trip: TripOptions, mine: str = "m", last: bool = False) -> None:
        seen.append((first, trip, mine, last))

    names = list(inspect.signature(command).parameters)
    assert names == ["first", "joint", "mine", *FIELDS[1:], "last"]
    command(first=1, **dict.fromkeys(FIELDS) | {"fly_early": True, "rate": 7.5}, mine="x", last=True)
    first, trip, mine, last = seen[0]
    assert (first, mine, last) == (1, "x", True)
    assert trip == TripOptions(fly_early=True, rate=7.5)


def test_quote_and_compare_read_the_trip_options_the_same_way(run: Invoke) -> None:
    """The same options give quote and compare the same trip: one request, parsed once by TripOptions."""
    import json

    args = ("--from", "US", "--joint", "hip", "--fare", "900-1400", "--nightly", "150", "--companion")
    quote = json.loads(run("quote", "--to", "JP", *args, "--json").stdout)
    compare = json.loads(run("compare", "--countries", "JP", *args, "--json").stdout)
    q, c = quote["destinations"][0], compare["countries"][0]["trip"]
    assert q["total"] == c["total"]
    assert q["travel"] == c["travel"]
    assert q["travellers"] == c["travellers"] == 2
    assert any(i["overridden"] for i in q["travel"]["items"])
