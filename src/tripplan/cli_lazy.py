"""Commands built when they are run: Click's lazy group, on Typer's public API.

Typer builds every command's options before it runs one (some 40 ms for tripplan's). A `Commands`
registry keeps each command's function and settings (registered with `@commands.command(...)` as with
`@app.command(...)`); its group class is Click's documented lazy group (`list_commands` names every
command, `get_command` builds one, through `typer.main.get_command`, the first time it is asked for).
Running a command builds only that one; help and shell completion list them all, and an unknown name
gets Typer's "did you mean" over every name.

The group also chooses the language (`i18n.choose`) before Click parses anything, so help and usage errors
speak it; each command's help texts are translated as it is built.

Every command and group built here refuses an option given an empty value (`--rate ""`, `--ics ""`) before
the option's type reads it, with one message for every option of every type (never Click's "not a valid
float", never an empty path taken as the current folder).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from typing import Any, ClassVar, TypeVar

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from tripplan import i18n

F = TypeVar("F", bound=Callable[..., Any])


class Commands:
    """Commands of one group, each kept as (function, settings) until it is built."""

    def __init__(self) -> None:
        self.specs: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {}

    def command(self, name: str | None = None, **settings: Any) -> Callable[[F], F]:
        """Register a command as `typer.Typer.command` would (same settings), to be built when used."""

        def register(func: F) -> F:
            self.specs[name or func.__name__.replace("_", "-")] = (func, settings)
            return func

        return register

    def build(self, name: str) -> Any:
        """The Click command for `name`, made by Typer from a one-command app."""
        func, settings = self.specs[name]
        one = typer.Typer(add_completion=False, rich_markup_mode=None)
        one.command(name, **{"cls": RefusingEmpty, **settings})(func)
        return translated(typer.main.get_command(one))

    def group_class(self) -> type[LazyGroup]:
        """The group class to pass as `typer.Typer(cls=...)`."""
        return type("LazyGroup", (LazyGroup,), {"registry": self})


class _Built(MutableMapping[str, Any]):
    """A group's commands by name: the registered ones are built on first access; any added directly
    (`add_typer` groups) are kept as they are. Iterating names builds nothing."""

    def __init__(self, registry: Commands, added: MutableMapping[str, Any]) -> None:
        self.registry, self.built = registry, dict(added)

    def __getitem__(self, name: str) -> Any:
        if name not in self.built and name in self.registry.specs:
            self.built[name] = self.registry.build(name)
        return self.built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        del self.built[name]

    def __iter__(self) -> Iterator[str]:
        yield from self.registry.specs
        yield from (n for n in self.built if n not in self.registry.specs)

    def __len__(self) -> int:
        return len(set(self.registry.specs) | set(self.built))


EMPTY_VALUE = "{option} is empty: give a value, or leave the option out"
EMPTY_ARGUMENT = "{name} is empty: give a value"


def empty_value(command: Any, ctx: Any, args: list[str]) -> str | None:
    """The refusal for the first option (or argument) of `command` that `args` give an empty or blank value,
    found before any option's type converts it; None when there is none. The command's own parser reads
    `args` (so `--rate=`, `--rate ""` and `--rate " "` are all seen). Nothing is checked while the shell
    completes a word or when help is asked for, and a parse error is left to the real parse (Click reports
    it)."""
    if ctx.resilient_parsing or any(a in ctx.help_option_names for a in args):
        return None
    try:
        opts, _, _ = command.make_parser(ctx).parse_args(args=list(args))
    except Exception:  # the real parse that follows reports it
        return None
    for param in command.get_params(ctx):
        if getattr(param, "is_flag", False) or param.name not in opts:
            continue
        given = opts[param.name]
        if not any(
            isinstance(v, str) and not v.strip() for v in (given if isinstance(given, list | tuple) else [given])
        ):
            continue
        if param.param_type_name == "option":
            return EMPTY_VALUE.format(option=max(param.opts, key=len))
        return EMPTY_ARGUMENT.format(name=param.make_metavar(ctx).strip("[].").upper())
    return None


def _refuse_empty(command: Any, ctx: Any, args: list[str]) -> None:
    """Exit 2 with the refusal when an option or argument is given an empty value (as cli_common.guarded
    says a usage error)."""
    message = empty_value(command, ctx, args)
    if message is not None:
        from tripplan.render.common import err

        err().print(f"Error: {message}", markup=False, soft_wrap=True)
        raise typer.Exit(2)


class RefusingEmpty(TyperCommand):
    """A Typer command that refuses an option given an empty value before converting it."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _refuse_empty(self, ctx, args)
        return super().parse_args(ctx, args)


def translated(command: Any) -> Any:
    """`command` with its help texts in the current language: its help, short help and epilog, each
    parameter's help, and those of the commands of a group already built (a lazy group's are translated as
    they are built). The English texts are the catalog's keys (marked with `N_()` where they are written)."""
    for attr in ("help", "short_help", "epilog"):
        text = getattr(command, attr, None)
        if text:
            setattr(command, attr, i18n._(text))
    for param in getattr(command, "params", ()):
        if getattr(param, "help", None):
            param.help = i18n._(param.help)
    commands = getattr(command, "commands", {})
    for sub in (commands.built if isinstance(commands, _Built) else commands).values():
        translated(sub)
    return command


class LazyGroup(TyperGroup):
    """Click's lazy group: `list_commands` names every command, `get_command` builds only the one asked for;
    its own options refuse an empty value as its commands' do."""

    registry: ClassVar[Commands]

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _refuse_empty(self, ctx, args)
        return super().parse_args(ctx, args)

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Built(self.registry, self.commands)

    def main(self, args: Any = None, *pos: Any, **kw: Any) -> Any:
        """Choose the language from the whole command line and the environment, then run as Click does.
        An unknown language is a usage error (exit 2) named with the available ones."""
        import os
        import sys

        argv = list(sys.argv[1:] if args is None else args)
        try:
            lang = i18n.choose(option=i18n.option_in(argv), environ=os.environ)
        except i18n.UnknownLanguageError as e:
            print(
                i18n._("Error: {where}: unknown language {given!r}; available: {langs}").format(
                    where=e.where, given=e.given, langs=", ".join(i18n.available())
                ),
                file=sys.stderr,
            )
            sys.exit(2)
        i18n.use(lang)
        translated(self)
        return super().main(argv, *pos, **kw)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        return self.commands.get(cmd_name)
