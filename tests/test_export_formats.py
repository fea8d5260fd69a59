"""Exports for other tools, each checked by the tool's own validator: STIX 2.1 (stix2-validator and
stix2.parse), MISP (pymisp's object templates and its event schema), FollowTheMoney (``ftm
validate`` and the model), GraphML and GEXF (networkx reads them back); the common base
(analyst layer applied, pages), the registry and the CLI."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from khabar.errors import KhabarError
from khabar.export import FORMATS, export
from khabar.export.base import Records
from khabar.workspace import Workspace
from tests.conftest import need_shared

BASES = ["seeds", "demo"]


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory, extractor):
    """The shared seed and dev corpora (the issue's "seed + dev" base) ingested once for this module."""
    folder = tmp_path_factory.mktemp("seeds")
    corpora = [need_shared("corpus", name) for name in ("seeds", "dev")]
    meta = folder / "meta.jsonl"  # one sidecar for both (their file names differ)
    meta.write_text("".join(need_shared("corpus", f"{name}.meta.jsonl").read_text(encoding="utf-8").rstrip("\n")
                            + "\n" for name in ("seeds", "dev")), encoding="utf-8")
    ws = Workspace(folder / "seeds.db")
    ws._extractor = extractor
    report = ws.ingest(corpora, meta=meta)
    ws.close()
    assert report.ingested >= 20
    return folder / "seeds.db"


@pytest.fixture(scope="module")
def base(request, demo_db, tmp_path_factory):
    """A knowledge base by name: the seeds, or the example corpus (``demo_db``, read only)."""
    def get(name: str) -> Workspace:
        path = request.getfixturevalue("seeds_db") if name == "seeds" else demo_db[0]
        return Workspace(path)
    return get


@pytest.fixture
def demo_copy(demo_db, tmp_path):
    """A copy of the example knowledge base that a test may change (the analyst layer)."""
    dest = tmp_path / "copy.db"
    with Workspace(demo_db[0]) as ws:
        ws.backup(dest)
    with Workspace(dest) as ws:
        yield ws


def _records(ws: Workspace, **filters) -> tuple[list[dict], list[dict]]:
    r = Records(ws, **filters)
    ties = list(r.ties())
    return r.actors(), ties


# -- the base and the registry ----------------------------------------------------------------

def test_records_page_through_ties_events_judgments_like_one_read(demo_db):
    ws = Workspace(demo_db[0])
    small, big = Records(ws, page=3), Records(ws)
    assert [(t["subject"], t["type"], t["object"]) for t in small.ties()] == \
           [(t["subject"], t["type"], t["object"]) for t in big.ties()]
    assert [e["id"] for e in small.events()] == [e["id"] for e in big.events()]
    assert [j["id"] for j in small.judgments()] == [j["id"] for j in big.judgments()]
    assert [d["id"] for d in small.documents()] == [d["id"] for d in big.documents()]
    ties = list(big.ties())
    assert ties and all(t["evidence_sentences"] and t["evidence"] >= 1 for t in ties)
    sentence = ties[0]["evidence_sentences"][0]
    doc = ws.conn.execute("SELECT text FROM documents WHERE id = ?", (sentence["doc_id"],)).fetchone()[0]
    assert doc[sentence["start"]:sentence["end"]].strip() == sentence["text"].strip()


def test_records_apply_the_analyst_layer(demo_copy):
    ws = demo_copy
    actors, ties = _records(ws)
    tie = next(t for t in ties if t["type"] == "affiliate_of" and t["subject"] == "isis-k")
    ws.reject(f"tie:{tie['subject']}|{tie['type']}|{tie['object']}")
    ws.merge_actors("haqqani-network", "taliban")
    ws.add_alias("taliban", "Student movement of the mountains")
    actors, ties = _records(ws)
    ids = {a["id"] for a in actors}
    assert "haqqani-network" not in ids
    assert "Student movement of the mountains" in next(a for a in actors if a["id"] == "taliban")["aliases"]
    assert not any("haqqani-network" in (t["subject"], t["object"]) for t in ties)
    assert not any((t["subject"], t["type"], t["object"]) == (tie["subject"], tie["type"], tie["object"])
                   for t in ties)
    kept = [t for t in Records(ws, rejected=True).ties()
            if (t["subject"], t["type"], t["object"]) == (tie["subject"], tie["type"], tie["object"])]
    assert kept and kept[0]["analyst"] == "rejected"


def test_actor_filter_keeps_the_actors_ties(demo_db):
    ws = Workspace(demo_db[0])
    _, ties = _records(ws, actor="ISIS-K")
    assert ties and all("isis-k" in (t["subject"], t["object"]) for t in ties)


def test_unknown_format_and_missing_extra(demo_db, tmp_path, monkeypatch):
    ws = Workspace(demo_db[0])
    with pytest.raises(KhabarError) as err:
        export(ws, "pdf", tmp_path / "x")
    assert err.value.code == "E500"
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "stix2" else real(name, *a))
    with pytest.raises(KhabarError) as err:
        ws.export("stix", tmp_path / "x.json")
    assert err.value.code == "E501" and "pip install 'khabar[stix]'" in str(err.value)
    assert not (tmp_path / "x.json").exists()
    from khabar.cli import main

    assert main(["export", "--format", "stix", "-o", str(tmp_path / "x.json"), "--db", str(demo_db[0])]) == 2
    assert not (tmp_path / "x.json").exists()


def test_registry_names_a_module_and_an_extra_for_each_format():
    for name, (module, desc, extra) in FORMATS.items():
        assert importlib.util.find_spec(module) is not None, name
        assert desc and (extra is None or extra in ("stix", "misp", "ftm")), name


def test_cli_export_offers_the_formats_and_writes(demo_db, tmp_path, capsys):
    from khabar.cli import build_parser, main

    sub = next(a for a in build_parser()._subparsers._group_actions[0].choices["export"]._actions
               if a.dest == "fmt")
    assert set(sub.choices) == set(FORMATS) and sub.default == "acled-csv"
    out = tmp_path / "net.graphml"
    assert main(["export", "--format", "graphml", "-o", str(out), "--db", str(demo_db[0])]) == 0
    assert "nodes" in capsys.readouterr().out and out.exists()
    assert main(["export", "--format", "stix", "-o", str(tmp_path / "a.json"), "--db", str(tmp_path / "none.db")]) == 2


def test_acled_csv_through_the_registry_is_the_events_csv(demo_db, tmp_path):
    ws = Workspace(demo_db[0])
    counts = ws.export("acled-csv", tmp_path / "a.csv", types=["attack"])
    n = ws.export_acled(tmp_path / "b.csv", types=["attack"])
    assert counts["events"] == n == ws.count_events(types=["attack"])
    assert (tmp_path / "a.csv").read_text(encoding="utf-8") == (tmp_path / "b.csv").read_text(encoding="utf-8")


# -- STIX 2.1 --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", BASES)
def test_stix_bundle_validates_and_reads_back_every_actor_and_tie(base, name, tmp_path):
    import stix2
    from stix2validator import ValidationOptions, validate_file

    from khabar.export.stix import actor_ref, relationship_type, stix_id

    ws = base(name)
    path = tmp_path / "bundle.json"
    counts = ws.export("stix", path)
    result = validate_file(str(path), ValidationOptions(strict=False))
    errors = [e for o in result.object_results for e in o.errors]
    assert result.is_valid and errors == []
    bundle = stix2.parse(path.read_text(encoding="utf-8"), allow_custom=False)
    objects = {o.id: o for o in bundle.objects}
    assert sum(counts.values()) == len(objects)
    actors, ties = _records(ws)
    for a in actors:
        obj = objects[actor_ref(a)]
        assert obj.name == a["name"] and obj.x_khabar_id == a["id"]
        assert obj.type == ("threat-actor" if a["kind"] in ("armed_group", "political_movement") else "identity")
    asserted = [t for t in ties if t["asserted"]]
    assert asserted
    for t in asserted:
        rel = objects[stix_id("relationship", f"{t['subject']}|{t['type']}|{t['object']}")]
        assert rel.relationship_type == relationship_type(t["type"])
        assert (rel.source_ref, rel.target_ref) == (actor_ref(next(a for a in actors if a["id"] == t["subject"])),
                                                    actor_ref(next(a for a in actors if a["id"] == t["object"])))
        assert rel.x_khabar_evidence == t["evidence"]
        if t["first_seen"] and t["last_seen"]:
            assert rel.start_time < rel.stop_time
            assert str(rel.start_time)[:4] == t["first_seen"][:4]
        assert ("confidence" in rel) == (t["credibility"] in (1, 2, 3, 4, 5))
    notes = [o for o in bundle.objects if o.type == "note"]
    sentences = {e["id"] for t in ties for e in t["evidence_sentences"]}
    assert {stix_id("note", s) for s in sentences} <= set(objects)
    assert all(ref in objects for o in bundle.objects for ref in getattr(o, "object_refs", []))
    assert notes and all(o.extensions for o in notes)
    extension = [o for o in bundle.objects if o.type == "extension-definition"]
    assert len(extension) == 1 and extension[0].extension_types == ["toplevel-property-extension"]
    used = {k for o in bundle.objects for k in o if k.startswith("x_khabar_")}
    assert used <= set(extension[0].extension_properties)


def test_stix_ids_are_stable_across_exports(demo_db, tmp_path):
    ws = Workspace(demo_db[0])
    ws.export("stix", tmp_path / "a.json")
    ws.export("stix", tmp_path / "b.json")
    ids = [{o["id"] for o in json.loads((tmp_path / f).read_text())["objects"]} for f in ("a.json", "b.json")]
    assert ids[0] == ids[1] and len(ids[0]) > 100


def test_stix_judgments_carry_the_icd203_band(demo_db, tmp_path):
    ws = Workspace(demo_db[0])
    ws.export("stix", tmp_path / "b.json")
    objects = json.loads((tmp_path / "b.json").read_text())["objects"]
    banded = [o for o in objects if o["type"] == "note" and o.get("x_khabar_band")]
    rows = [j for j in ws.judgment_records() if j.get("band")]
    assert rows and len(banded) == len(rows)
    assert all(0 <= o["x_khabar_low"] <= o["x_khabar_high"] <= 1 for o in banded)


# -- MISP ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", BASES)
def test_misp_event_loads_back_and_passes_pymisp_checks(base, name, tmp_path):
    import jsonschema
    import pymisp
    from pymisp import MISPEvent

    ws = base(name)
    path = tmp_path / "event.json"
    counts = ws.export("misp", path)
    event = MISPEvent()
    event.load_file(path)
    assert len(event.objects) == sum(v for k, v in counts.items() if k not in ("references", "attributes"))
    for obj in event.objects:  # every object against its template (known relations, required ones)
        obj._strict = True
        assert obj._validate()
    schema = json.loads((Path(pymisp.__file__).parent / "data" / "schema-lax.json").read_text())
    jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)
    uuids = {o.uuid for o in event.objects} | {a.uuid for a in event.attributes}
    assert all(ref.referenced_uuid in uuids for o in event.objects for ref in o.references)
    actors, ties = _records(ws)
    orgs = {o.get_attributes_by_relation("name")[0].value for o in event.objects if o.name == "organization"}
    assert {a["name"] for a in actors} <= orgs
    refs = {ref.relationship_type for o in event.objects if o.name == "organization" for ref in o.references}
    from khabar.export.misp import RELATIONSHIPS

    assert {RELATIONSHIPS[t["type"]] for t in ties if t["asserted"]} == refs


# -- FollowTheMoney --------------------------------------------------------------------------

@pytest.mark.parametrize("name", BASES)
def test_ftm_entities_pass_ftm_validate_unchanged(base, name, tmp_path):
    from khabar.export.ftm import check_entity

    ws = base(name)
    path = tmp_path / "entities.ftm.jsonl"
    counts = ws.export("ftm", path)
    entities = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(entities) == sum(counts.values()) and len({e["id"] for e in entities}) == len(entities)
    assert [p for e in entities for p in check_entity(e)] == []
    ftm = Path(sys.executable).with_name("ftm")
    out = tmp_path / "validated.jsonl"
    run = subprocess.run([str(ftm), "validate", "-i", str(path), "-o", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    again = {e["id"]: e for e in map(json.loads, out.read_text(encoding="utf-8").splitlines())}

    def props(e):
        return {k: sorted(v) for k, v in e["properties"].items()}

    assert {i: props(e) for i, e in again.items()} == {e["id"]: props(e) for e in entities}
    ids = {e["id"] for e in entities}
    refs = ("member", "organization", "subject", "object", "entity", "proof", "organizer", "involved",
            "addressEntity", "parent")
    assert all(v in ids for e in entities for k in refs for v in e["properties"].get(k, []))
    _, ties = _records(ws)
    assert counts.get("Membership", 0) == sum(t["type"] == "affiliate_of" for t in ties)
    links = [e for e in entities if e["schema"] == "UnknownLink"]
    assert len(links) == sum(t["type"] != "affiliate_of" for t in ties)
    assert all(e["properties"]["status"][0] in ("asserted", "negated", "predicted") for e in links)


# -- GraphML and GEXF ------------------------------------------------------------------------

@pytest.mark.parametrize("name", BASES)
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphs_read_back_with_the_same_counts(base, name, fmt, tmp_path):
    import networkx as nx

    from khabar.analyze.network import graph

    ws = base(name)
    path = tmp_path / f"net.{fmt}"
    counts = ws.export(fmt, path)
    expected = graph(ws)
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert counts == {"nodes": expected.number_of_nodes(), "edges": expected.number_of_edges()}
    assert (back.number_of_nodes(), back.number_of_edges()) == (expected.number_of_nodes(),
                                                                 expected.number_of_edges())
    assert back.number_of_edges() > 0
    for s, o, data in back.edges(data=True):
        assert data["tie_type"] in expected[s][o] and "type" not in data
        assert int(data["weight"]) == expected[s][o][data["tie_type"]]["evidence"]
    for node, data in back.nodes(data=True):
        assert data["kind"] == expected.nodes[node]["kind"]
        assert json.loads(data["aliases"]) == list(expected.nodes[node]["aliases"] or [])
    if fmt == "gexf":
        assert all(d.get("start") and d.get("end") and d["start"] <= d["end"]
                   for _, _, d in back.edges(data=True) if d.get("first_seen"))


def test_the_extras_are_declared_in_pyproject():
    text = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    for pin in ('"stix2==3.0.2"', '"stix2-validator==3.3.2"', '"pymisp==2.5.34.4"', '"followthemoney==4.11.2"',
                '"networkx==3.6.1"'):
        assert pin in text
    for extra in ("stix = [", "misp = [", "ftm = ["):
        assert extra in text


def test_the_export_modules_import_nothing_heavy_at_start():
    code = ("import sys, khabar.cli; khabar.cli.build_parser(); "
            "print(sorted(m for m in ('stix2', 'pymisp', 'followthemoney', 'networkx', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_copies_of_hostile_names_stay_data(demo_copy, tmp_path):
    """An alias with markup goes out as text in every format (escaped by the writers), and reads back equal."""
    import networkx as nx

    ws = demo_copy
    hostile = '<script>alert("x")</script> & </node>'
    ws.add_alias("taliban", hostile)
    ws.export("graphml", tmp_path / "n.graphml")
    g = nx.read_graphml(tmp_path / "n.graphml")
    assert hostile in json.loads(g.nodes["taliban"]["aliases"])
    ws.export("stix", tmp_path / "b.json")
    bundle = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    taliban = next(o for o in bundle["objects"] if o.get("x_khabar_id") == "taliban")
    assert hostile in taliban["aliases"]


def test_graph_text_loses_what_xml_cannot_hold(demo_db, tmp_path, monkeypatch):
    """A name carrying control characters (a document may) still gives files networkx reads."""
    import networkx as nx

    import khabar.analyze.network as network

    hand = nx.MultiDiGraph()
    hand.add_node("a\x0bb", name="Group\x01 A", kind="armed_group", aliases=["A\x1f"])
    hand.add_node("c", name="C", kind="state", aliases=[])
    hand.add_edge("a\x0bb", "c", key="hosts", tie_type="hosts", evidence=2, first_seen="2020", last_seen="2021-03",
                  credibility=None)
    monkeypatch.setattr(network, "graph", lambda *a, **k: hand)
    ws = Workspace(demo_db[0])
    for fmt in ("graphml", "gexf"):
        assert ws.export(fmt, tmp_path / f"h.{fmt}") == {"nodes": 2, "edges": 1}
        back = nx.read_graphml(tmp_path / f"h.{fmt}") if fmt == "graphml" else nx.read_gexf(tmp_path / f"h.{fmt}")
        assert set(back.nodes) == {"ab", "c"} and back.nodes["ab"]["name"] == "Group A"
        (_, _, data), = back.edges(data=True)
        assert data["tie_type"] == "hosts" and int(data["weight"]) == 2 and "credibility" not in data
    assert (data["start"], data["end"]) == ("2020-01-01", "2021-03-31")  # the GEXF timeline: whole days


def test_misp_and_ftm_ids_are_stable_across_exports(demo_db, tmp_path):
    ws = Workspace(demo_db[0])
    for run in ("a", "b"):
        ws.export("misp", tmp_path / f"{run}.misp.json")
        ws.export("ftm", tmp_path / f"{run}.ftm.jsonl")
    events = [json.loads((tmp_path / f"{r}.misp.json").read_text())["Event"] for r in ("a", "b")]
    assert events[0]["uuid"] == events[1]["uuid"]
    assert [o["uuid"] for o in events[0]["Object"]] == [o["uuid"] for o in events[1]["Object"]]
    ftm = [[json.loads(line)["id"] for line in (tmp_path / f"{r}.ftm.jsonl").read_text().splitlines()]
           for r in ("a", "b")]
    assert ftm[0] == ftm[1] and len(set(ftm[0])) == len(ftm[0])
