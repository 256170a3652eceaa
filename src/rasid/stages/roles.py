"""ROLE relations from the role hints the person rules collected.

One relation per (person, organisation) pair in a document: when an article calls the same
man both "القيادي في" and "رئيس مكتب العلاقات العامة في" a group, the more specific role wins
(order in ``person_cues.json``: role_priority). Whoever heads an armed group is its commander,
whatever the title (رئيس، الأمين العام، زعيم).
"""
from __future__ import annotations

from rasid.document import Document, Relation
from rasid.stages.persons import role_priority


def roles_stage(doc: Document) -> Document:
    prio = {r: i for i, r in enumerate(role_priority())}
    best: dict[tuple[str, str], tuple[str, tuple[int, int]]] = {}
    for pid, role, oid, evidence in doc.role_hints:
        p, o = doc.entity(pid), doc.entity(oid)
        if not p or not o or p.type != "PER" or o.type != "ORG":
            continue
        if role == "head" and o.subtype == "ARMED_GROUP":
            role = "commander"  # the head of an armed group (الأمين العام لحزب الله) commands it
        cur = best.get((pid, oid))
        if cur is None or prio.get(role, 99) < prio.get(cur[0], 99):
            best[(pid, oid)] = (role, evidence)
    doc.relations = [Relation("ROLE", pid, oid, role, ev) for (pid, oid), (role, ev) in best.items()]
    doc.provided.add("relations")
    return doc


roles_stage.requires = ("entities",)  # type: ignore[attr-defined]
roles_stage.provides = ("relations",)  # type: ignore[attr-defined]
