"""Commands built when they are run: Click's lazy group, on Typer's public API.

Typer builds every command's options before it runs one (some 40 ms for tripplan's). A `Commands`
registry keeps each command's function and settings (registered with `@commands.command(...)` as with
`@app.command(...)`); its group class is Click's documented lazy group (`list_commands` names every
command, `get_command` builds one, through `typer.main.get_command`, the first time it is asked for).
Running a command builds only that one; help and shell completion list them all, and an unknown name
gets Typer's "did you mean" over every name.

The group also chooses the language (`i18n.choose`) before Click parses anything, so help and usage errors
speak it; each command's help texts are translated as it is built. Click's own words (Usage:, Options:,
[default: …], Show this message and exit., and its usage errors) are not gettext'd by Click: the help
formatter and `show_error` below say them from tripplan's catalog (the English text as Click writes it is
the msgid, so English output is Click's, byte for byte), and wrap Chinese text by terminal cells.

Every command and group built here refuses an option given an empty value (`--rate ""`, `--ics ""`) before
the option's type reads it, with one message for every option of every type (never Click's "not a valid
float", never an empty path taken as the current folder).
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from typing import Any, ClassVar, TypeVar

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from tripplan import i18n
from tripplan.i18n import N_

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


# Click's words, as Click (vendored by Typer) writes them: the keys of their translations. Marked here so the
# catalog extracts them; looked up with `_()` where they are shown.
CLICK_WORDS = (
    N_("Usage: "),
    N_("Options"),
    N_("Arguments"),
    N_("Commands"),
    # TRANSLATORS: a heading of --help (Options, Commands…) followed by its colon
    N_("{heading}:"),
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
    # TRANSLATORS: the heading of the examples at the end of a command's --help
    N_("Examples:"),
    # TRANSLATORS: in the brackets after an option's help: its default value (kept as typed)
    N_("default: {default}"),
    # TRANSLATORS: in the brackets after an option's help: the option must be given
    N_("required"),
    N_("env var: {var}"),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Aborted!"),
)

# Click's usage errors, piece by piece: each pattern's named groups fill its msgid's placeholders (names, values
# and option names are never translated). Applied in order; a message no pattern knows is shown as Click wrote it.
# Compiled the first time an error is shown in another language (click_errors).
CLICK_ERRORS: tuple[tuple[str, str], ...] = (
    (r"^No such option: (?P<name>.+?)(?= \(Possible options: |$)", N_("No such option: {name}")),
    (r"\(Possible options: (?P<options>[^)]*)\)$", N_("(Possible options: {options})")),
    (r"^No such command (?P<name>'.*?')\.(?= Did you mean |$)", N_("No such command {name}.")),
    (r" Did you mean (?P<names>.+)\?$", N_(" Did you mean {names}?")),
    (r"^Missing command\.$", N_("Missing command.")),
    (r"^Missing option (?P<name>.+?)\.$", N_("Missing option {name}.")),
    (r"^Missing argument (?P<name>.+?)\.$", N_("Missing argument {name}.")),
    (r"^Missing parameter: (?P<name>.+)$", N_("Missing parameter: {name}")),
    (
        r"(?s)^Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)$",
        N_("Got unexpected extra argument(s) ({args})"),
    ),
    (r"^Option (?P<name>'.*?') requires an argument\.$", N_("Option {name} requires an argument.")),
    (
        r"^Option (?P<name>'.*?') requires (?P<n>\d+) arguments\.$",
        N_("Option {name} requires {n} arguments."),
    ),
    (r"^Option (?P<name>'.*?') does not take a value\.$", N_("Option {name} does not take a value.")),
    (r"^Invalid value for (?P<name>.+?): (?=.)", N_("Invalid value for {name}: ")),
    (r"^Invalid value: (?=.)", N_("Invalid value: ")),
    (r"(?P<value>'.*') is not a valid float\.$", N_("{value} is not a valid number.")),
    (r"(?P<value>'.*') is not a valid integer\.$", N_("{value} is not a whole number.")),
    (
        r"(?P<value>'.*') is not a valid boolean\. Recognized values: (?P<values>.*)$",
        N_("{value} is not a valid yes/no value. Recognized values: {values}"),
    ),
)


@functools.cache
def click_errors() -> tuple[tuple[re.Pattern[str], str], ...]:
    """CLICK_ERRORS compiled (once, and only when an error is shown in another language)."""
    return tuple((re.compile(pattern), msgid) for pattern, msgid in CLICK_ERRORS)


# Click's confirmation (click.confirm): the choices shown after the question, and its answer to anything else.
CONFIRM_CHOICES = {
    # TRANSLATORS: the choices after a yes/no question, no default ("[y/n]"); y and n stay accepted
    None: N_("y/n"),
    # TRANSLATORS: the choices after a yes/no question whose default (Enter) is yes ("[Y/n]")
    True: N_("Y/n"),
    # TRANSLATORS: the choices after a yes/no question whose default (Enter) is no ("[y/N]")
    False: N_("y/N"),
}
INVALID_INPUT = N_("Error: invalid input")


def confirm(text: str, *, default: bool | None = False) -> bool:
    """click.confirm in the current language: the question, its choices from the catalog (CONFIRM_CHOICES:
    "[y/N]" as Click writes it in English), asked again after "Error: invalid input" (translated) until the
    answer is y, yes, n or no (or the language's own word for yes or no, the catalog's "yes"/"no"); Enter
    takes the default. Ctrl-C or end of input raises Abort, as Click's does. Read through click.prompt, so
    a test runner's input reaches it as it reaches Click's."""
    yes = {"y", "yes", i18n._("yes").strip().lower()}
    no = {"n", "no", i18n._("no").strip().lower()}
    question = f"{text} [{i18n._(CONFIRM_CHOICES[default])}]"
    while True:
        answer = str(typer.prompt(question, default="", show_default=False)).strip().lower()
        if answer in yes:
            return True
        if answer in no:
            return False
        if default is not None and answer == "":
            return default
        typer.echo(i18n._(INVALID_INPUT))


def click_message(message: str) -> str:
    """A usage error's message as Click wrote it, in the current language (CLICK_ERRORS); unchanged in English."""
    if i18n.current() == i18n.DEFAULT:
        return message
    for pattern, msgid in click_errors():
        m = pattern.search(message)
        if m is not None:
            said = i18n._(msgid).format(**m.groupdict())
            message = message[: m.start()] + said + message[m.end() :]
    return message


def show_error(error: Any) -> None:
    """Show a Click exception as Click does (usage, "Try … for help.", "Error: …" on stderr), in the current
    language. `error` is a ClickException (Typer vendors Click, whose exceptions are TyperException)."""
    ctx = getattr(error, "ctx", None)
    if type(error).__name__ == "NoArgsIsHelpError":  # the help itself, already translated
        error.show()
        return
    color = ctx.color if ctx is not None else None
    if ctx is not None and hasattr(error, "cmd"):  # a usage error: the usage line and a hint first
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = i18n._("Try '{command} {option}' for help.").format(
                command=ctx.command_path, option=ctx.help_option_names[0]
            )
            hint += "\n"
        typer.echo(f"{ctx.get_usage()}\n{hint}", err=True, color=color)
    message = i18n._("Error: {message}").format(message=click_message(error.format_message()))
    typer.echo(message, err=True, color=color)


_WIDE = "\u1100-\u115f\u2e80-\u303e\u3041-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
_OPEN = "（「『《〈【“‘(["
_CLOSE = "，。、；：！？）」』》〉】”’,.;:!?)]"
_OPEN_ = re.escape(_OPEN)
_CLOSE_ = re.escape(_CLOSE)
_TOKEN = (  # compiled when Chinese help is wrapped (_token)
    rf"\s+"
    rf"|\[[^\[\]\s]{{1,40}}\]"  # a short bracket, such as Click's [必填] or [默认：en], is kept whole
    rf"|[{_OPEN_}]*(?:[{_WIDE}]|[^\s{_WIDE}{_OPEN_}]+)[{_CLOSE_}]*"
    rf"|."
)


@functools.cache
def _token() -> re.Pattern[str]:
    return re.compile(_TOKEN, re.S)


def cell_len(text: str) -> int:
    """Terminal cells `text` takes (Rich's measure; imported only when help or an error is shown)."""
    from rich.cells import cell_len as cells

    return cells(text)


def is_wide(text: str) -> bool:
    """Whether `text` has a character two columns wide (Chinese): then it is wrapped by cells (cell_wrap)."""
    return cell_len(text) != len(text)


def cell_wrap(text: str, width: int, *, initial: str = "", subsequent: str = "") -> list[str]:
    """`text` as lines of at most `width` terminal cells (a token wider than a line gets a line of its own).
    Chinese breaks between characters, never before closing punctuation (，。）) or after an opening one;
    a run of non-Chinese characters (a word, an amount, a date, an id, an option) is never broken."""
    lines: list[str] = []
    line, empty, gap = initial, True, ""
    for token in _token().findall(text):
        if token.isspace():
            gap = "" if empty else " "
            continue
        piece = token if empty else gap + token
        if empty or cell_len(line + piece) <= width:
            line, empty = line + piece, False
        else:
            lines.append(line)
            line = subsequent + token
        gap = ""
    lines.append(line)
    return lines


def _paragraphs(text: str, width: int, indent: str) -> list[str]:
    """Click's paragraph rules (a blank line separates paragraphs; one starting with \\b is kept as typed),
    wrapped by cells."""
    out: list[str] = []
    for i, block in enumerate(text.expandtabs().split("\n\n")):
        rows = block.split("\n")
        if i:
            out.append("")
        if rows and rows[0].strip() == "\b":
            out += [indent + row for row in rows[1:]]
        else:
            out += cell_wrap(" ".join(r.strip() for r in rows), width, initial=indent, subsequent=indent)
    return out


@functools.cache
def _extra() -> re.Pattern[str]:
    """An option's help followed by Click's [default: …; required; env var: …] brackets (compiled when help is shown)."""
    return re.compile(r"^(?P<help>.*?)(?P<space>\s*)\[(?P<extra>(?:default: |required|env var: )[^\[\]]*)\]$", re.S)


def _help_column(text: str) -> str:
    """An option's help as Click's help list shows it, in the current language: the help, then its [default: …;
    required] brackets with Click's words translated."""
    m = _extra().match(text)
    help_text, space, extra = (m["help"], m["space"], m["extra"]) if m else (text, "", None)
    help_text = i18n._(help_text) if help_text.strip() else help_text
    if extra is None:
        return help_text
    parts = []
    for part in extra.split("; "):
        if part == "required":
            parts.append(i18n._("required"))
        elif part.startswith("default: "):
            parts.append(i18n._("default: {default}").format(default=part.removeprefix("default: ")))
        elif part.startswith("env var: "):
            parts.append(i18n._("env var: {var}").format(var=part.removeprefix("env var: ")))
        else:
            parts.append(part)
    return f"{help_text}{space}[{'; '.join(parts)}]"


_HelpFormatter: Any = typer.Context.formatter_class


class HelpFormatter(_HelpFormatter):  # type: ignore[misc]  # Click's HelpFormatter, reached through typer.Context
    """Click's help formatter, speaking the current language: its headings and words from the catalog, and any
    text with Chinese in it wrapped by terminal cells. Text without wide characters is Click's, unchanged."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = i18n._("Usage: ") if prefix is None else prefix
        if not is_wide(prefix + prog + args):
            super().write_usage(prog, args, prefix)
            return
        usage = f"{prefix:>{self.current_indent}}{prog} "
        width = self.width - self.current_indent
        if width >= cell_len(usage) + 20:
            lines = cell_wrap(args, width, initial=usage, subsequent=" " * cell_len(usage))
        else:
            indent = " " * (max(self.current_indent, cell_len(prefix)) + 4)
            lines = [usage, *cell_wrap(args, width, initial=indent, subsequent=indent)]
        self.write("\n".join(lines) + "\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}" + i18n._("{heading}:").format(heading=i18n._(heading)) + "\n")

    def write_text(self, text: str) -> None:
        if not is_wide(text):
            super().write_text(text)
            return
        indent = " " * self.current_indent
        self.write("\n".join(_paragraphs(text, self.width, indent)) + "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(first, _help_column(second)) for first, second in rows]
        if not any(is_wide(first + second) for first, second in rows):
            super().write_dl(rows, col_max, col_spacing)
            return
        first_col = min(max(cell_len(first) for first, _ in rows), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if cell_len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cell_len(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = _paragraphs(second, max(self.width - first_col - 2, 10), "")
            pad = " " * (first_col + self.current_indent)
            self.write("\n".join([lines[0], *(pad + line if line else line for line in lines[1:])]) + "\n")


class Context(typer.Context):
    """Typer's context with the translating help formatter."""

    formatter_class = HelpFormatter


def _paragraphs_translated(text: str) -> str:
    """A help text in the current language, paragraph by paragraph (each paragraph is one msgid)."""
    return "\n\n".join(i18n._(p) if p.strip() else p for p in text.split("\n\n"))


def _lines_translated(text: str) -> str:
    """An epilog in the current language, line by line (the heading and any example's comment are msgids;
    a command line not marked stays as typed)."""
    out = []
    for line in text.split("\n"):
        body = line.strip()
        out.append(line[: len(line) - len(line.lstrip())] + i18n._(body) if body and body != "\b" else line)
    return "\n".join(out)


def _first_sentence(text: str) -> str:
    """The short help of a Chinese help text: its first sentence (Click's shortening counts spaces)."""
    first = text.split("\n\n", 1)[0].strip()
    end = first.find("。")
    return first[: end + 1] if end >= 0 else first


EMPTY_VALUE = N_("{option} is empty: give a value, or leave the option out")
EMPTY_ARGUMENT = N_("{name} is empty: give a value")


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
            return i18n._(EMPTY_VALUE).format(option=max(param.opts, key=len))
        return i18n._(EMPTY_ARGUMENT).format(name=param.make_metavar(ctx).strip("[].").upper())
    return None


def _refuse_empty(command: Any, ctx: Any, args: list[str]) -> None:
    """Exit 2 with the refusal when an option or argument is given an empty value (as cli_common.guarded
    says a usage error)."""
    message = empty_value(command, ctx, args)
    if message is not None:
        from tripplan.render.common import err

        err().print(i18n._("Error: {message}").format(message=message), markup=False, soft_wrap=True)
        raise typer.Exit(2)


class RefusingEmpty(TyperCommand):
    """A Typer command that refuses an option given an empty value before converting it."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _refuse_empty(self, ctx, args)
        return super().parse_args(ctx, args)


def translated(command: Any) -> Any:
    """`command` with its help texts in the current language: its help (by paragraph), short help and epilog
    (by line), each parameter's help, and those of the commands of a group already built (a lazy group's are
    translated as they are built); and a context whose help formatter says Click's words in that language.
    The English texts are the catalog's keys (marked with `N_()` where they are written)."""
    command.context_class = Context
    if getattr(command, "help", None):
        command.help = _paragraphs_translated(command.help)
        if i18n.current() != i18n.DEFAULT and not command.short_help and is_wide(command.help):  # Chinese
            command.short_help = _first_sentence(command.help)
    elif getattr(command, "short_help", None):
        command.short_help = i18n._(command.short_help)
    if getattr(command, "epilog", None):
        command.epilog = _lines_translated(command.epilog)
    for param in getattr(command, "params", ()):
        if getattr(param, "help", None):
            param.help = i18n._(param.help)
    commands = getattr(command, "commands", {})
    for sub in (commands.built if isinstance(commands, _Built) else commands).values():
        translated(sub)
    return command


def _quietly_chosen(typed: list[str]) -> str:
    """The language of a command line being completed (a --lang half typed is no language: English)."""
    try:
        return i18n.choose(option=i18n.option_in(typed), environ=os.environ)
    except i18n.UnknownLanguageError:
        return i18n.DEFAULT


def _completed_words(environ: Mapping[str, str]) -> list[str]:
    """The words of the command line a shell is completing (bash: COMP_WORDS; zsh and fish: Typer's
    _TYPER_COMPLETE_ARGS), or none when no completion is asked for."""
    import shlex

    line = environ.get("COMP_WORDS") or environ.get("_TYPER_COMPLETE_ARGS") or ""
    try:
        return shlex.split(line)[1:]
    except ValueError:  # an unfinished quote
        return line.split()[1:]


class LazyGroup(TyperGroup):
    """Click's lazy group: `list_commands` names every command, `get_command` builds only the one asked for;
    its own options refuse an empty value as its commands' do."""

    registry: ClassVar[Commands]
    context_class = Context

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _refuse_empty(self, ctx, args)
        return super().parse_args(ctx, args)

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Built(self.registry, self.commands)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Choose the language from the whole command line and the environment, then run as Click does, its
        usage errors shown in that language (show_error). An unknown language is a usage error (exit 2) named
        with the available ones."""
        argv = list(sys.argv[1:] if args is None else args)
        try:
            if not argv and (typed := _completed_words(os.environ)):  # a shell completing: never an error
                lang = _quietly_chosen(typed)
            else:
                lang = i18n.choose(option=i18n.option_in(argv), environ=os.environ)
        except i18n.UnknownLanguageError as e:
            typer.echo(
                i18n._("Error: {where}: unknown language {given!r}; available: {langs}").format(
                    where=e.where, given=e.given, langs=", ".join(i18n.available())
                ),
                err=True,
            )
            sys.exit(2)
        i18n.use(lang)
        translated(self)
        if not standalone_mode:
            return super().main(argv, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            done = super().main(argv, prog_name, complete_var, False, windows_expand_args, **extra)
        except typer.Abort:
            typer.echo(i18n._("Aborted!"), err=True)
            sys.exit(1)
        except typer.TyperException as e:  # Click's exceptions (usage errors and the like)
            show_error(e)
            sys.exit(e.exit_code)
        sys.exit(done if isinstance(done, int) else 0)

    def _main_shell_completion(self, ctx_args: Any, prog_name: str, complete_var: str | None = None) -> None:
        """A shell asking for completions: tripplan's formats (complete.use_shells: descriptions never
        wrapped, no files offered for a value with no match), then Typer's completion as always."""
        var = complete_var or f"_{prog_name}_COMPLETE".replace("-", "_").upper()
        if os.environ.get(var):
            from tripplan import complete

            complete.use_shells()
        super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        return self.commands.get(cmd_name)
