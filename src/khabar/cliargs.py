"""The CLI's arguments checked as they are parsed, every error with its catalogue code.

argparse rejects a bad argument with exit status 2 but no code ("error: argument --limit:
invalid int value"), and accepts what it cannot judge (``--limit -1``, ``--type alied``):
``CodedArgumentParser`` prints every argument error as ``khabar: [E3xx] ... (remedy)`` and
exits 2, and the argument types here reject what would otherwise give a silent wrong
answer. A type raises ``argparse.ArgumentTypeError`` whose text starts with its code
("[E303] ..."); an error without one takes the code of its option (``OPTION_CODES``), else
E333 (see the command's --help).

Command modules use these too (``from khabar.cliargs import iso_date, whole_number``).
Nothing heavy is imported: every command, read commands included, parses through here.
"""

from __future__ import annotations

import argparse
import calendar
import re
import sys
from collections.abc import Callable
from typing import NoReturn

from khabar.errors import KhabarError

__all__ = ["CodedArgumentParser", "OPTION_CODES", "iso_date", "whole_number", "tie_type", "event_type", "port",
           "actor_name", "place_name"]

# The code of an error about an option whose type gave none (argparse's own messages:
# "invalid choice", "expected one argument"...).
OPTION_CODES = {"--since": "E303", "--until": "E303", "--before": "E303", "--after": "E303",
                "--limit": "E311", "--offset": "E311", "--jobs": "E314", "--scheduler": "E314",
                "--format": "E500", "--port": "E330", "--workers": "E330", "--cv": "E330"}
USAGE_CODE = "E333"

_CODE = re.compile(r"\[(E\d{3})\]\s*")
_ARGUMENT = re.compile(r"^argument ([^:]+):")
_CHOICE = re.compile(r"invalid choice: '([^']*)' \(choose from (.*)\)$")


class CodedArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors carry a catalogue code: ``khabar: [CODE] what (remedy)``
    on standard error, exit status 2 (as every KhabarError the CLI prints)."""

    def error(self, message: str) -> NoReturn:
        code, text = _coded(message)
        command = self.prog.split(" ", 1)[1] if " " in self.prog else ""
        if code == USAGE_CODE:  # a missing or unknown argument: the usage line says what there is
            self.print_usage(sys.stderr)
        print(f"khabar: {KhabarError(code, (command + ': ' if command else '') + text)}", file=sys.stderr)
        sys.exit(2)


def _coded(message: str) -> tuple[str, str]:
    """The code an argparse message carries (or its option's, or E333) and the message
    without the code, with the close matches of an invalid choice."""
    found = _CODE.search(message)
    if found:
        return found.group(1), _CODE.sub("", message, count=1)
    choice = _CHOICE.search(message)
    if choice:
        from khabar.suggest import close_matches, did_you_mean

        choices = re.findall(r"'([^']*)'", choice.group(2))
        hint = did_you_mean(close_matches(choice.group(1), choices))
        message = message[: choice.start()] + f"invalid choice {choice.group(1)!r}{hint} (one of: {', '.join(choices)})"
    option = _ARGUMENT.match(message)
    names = option.group(1).split("/") if option else []
    code = next((OPTION_CODES[n] for n in names if n in OPTION_CODES), USAGE_CODE)
    return code, message


def _fail(code: str, message: str) -> NoReturn:
    raise argparse.ArgumentTypeError(f"[{code}] {message}")


def iso_date(text: str) -> str:
    """A partial ISO date (YYYY, YYYY-MM or YYYY-MM-DD) naming a real year, month or day, as
    typed; else E303 saying what is wrong with it ("2021-13": no month 13)."""
    parts = text.split("-")
    if not 1 <= len(parts) <= 3 or [len(p) for p in parts] != [4, 2, 2][: len(parts)] or not all(
            p.isascii() and p.isdigit() for p in parts):
        _fail("E303", f"{text!r} is not a date")
    year, month, day = (int(p) for p in (*parts, "01", "01")[:3])
    if year < 1:
        _fail("E303", f"{text!r}: there is no year 0")
    if not 1 <= month <= 12:
        _fail("E303", f"{text!r}: there is no month {parts[1]}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        _fail("E303", f"{text!r}: {calendar.month_name[month]} {year} has no day {parts[2]} (it has {last} days)")
    return text


# The largest number SQLite stores (a LIMIT beyond it is an OverflowError, not an answer).
LARGEST = 2**63 - 1


def whole_number(minimum: int, code: str, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number from ``minimum`` (to ``maximum``), else ``code``."""
    bound = f"{minimum} or more" if maximum is None else f"from {minimum} to {maximum}"

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            _fail(code, f"{text!r} is not a whole number (give {bound})")
        if value < minimum or value > (LARGEST if maximum is None else maximum):
            _fail(code, f"{value} is out of range (give {bound})")
        return value

    parse.__name__ = "number"  # argparse names the type in some messages
    return parse


port = whole_number(0, "E330", 65535)  # 0: any free port the system gives


def actor_name(text: str) -> str:
    """An actor's id, name or alias as typed; an empty one (an unset shell variable) is E301,
    not "every actor"."""
    if not text.strip():
        _fail("E301", "an empty actor name")
    return text


def place_name(text: str) -> str:
    """A place as typed; an empty one is E332, not "everywhere"."""
    if not text.strip():
        _fail("E332", "an empty place name")
    return text


def tie_type(text: str) -> str:
    """A tie type of the vocabulary (any case; its label too: "allied with"), else E320
    with the close ones."""
    from khabar.suggest import tie_type as known

    try:
        return known(text)
    except KhabarError as exc:
        _fail(exc.code, exc.message)


def event_type(text: str) -> str:
    """An event type of the vocabulary (any case), else E302 with the close ones."""
    from khabar.suggest import event_type as known

    try:
        return known(text)
    except KhabarError as exc:
        _fail(exc.code, exc.message)
