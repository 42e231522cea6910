#!/usr/bin/env python3
"""Checks the FIX 4.4 tables of this folder, and compares them with another dictionary.

    python3 check.py                                  # consistency of all tables
    python3 check.py --oracle FIX44.xml               # ... and every disagreement with FIX44.xml
    python3 check.py --oracle X --fields-only fields-1.txt --range 1-480
    python3 check.py --oracle X --components          # header, trailer and components only
    python3 check.py --oracle X --messages            # messages only
    python3 check.py --oracle X --blocks-only messages-2.txt   # just the blocks one file defines

The oracle is read only to report where the tables disagree with it; nothing is taken
from it. Exit status 1 when anything is reported.
"""
from __future__ import annotations

import argparse
import os
import sys
import xml.etree.ElementTree as ElementTree

import tables


def oracle_members(element) -> list[tables.Member]:
    members = []
    for child in element:
        required = child.get("required", "N").upper() == "Y"
        if child.tag == "field":
            members.append(tables.Member("field", child.get("name"), required))
        elif child.tag == "component":
            members.append(tables.Member("component", child.get("name"), required))
        elif child.tag == "group":
            members.append(tables.Member("group", child.get("name"), required, oracle_members(child)))
    return members


def read_oracle(path: str):
    root = ElementTree.parse(path).getroot()
    fields = {}
    for element in root.find("fields"):
        values = [value.get("enum") for value in element.findall("value")]
        fields[int(element.get("number"))] = (element.get("name"), element.get("type"), values)
    blocks = {}
    for kind in ("header", "trailer"):
        blocks[(kind, kind)] = tables.Block(kind, kind, oracle_members(root.find(kind)))
    for element in root.find("components"):
        blocks[("component", element.get("name"))] = tables.Block("component", element.get("name"), oracle_members(element))
    for element in root.find("messages"):
        blocks[("message", element.get("name"))] = tables.Block(
            "message", element.get("name"), oracle_members(element),
            msgtype=element.get("msgtype"), category=element.get("msgcat"))
    return fields, blocks


def compare_fields(mine: list[tables.Field], theirs: dict, low: int, high: int) -> list[str]:
    report = []
    by_tag = {item.tag: item for item in mine}
    for tag in sorted(set(theirs) | set(by_tag)):
        if not low <= tag <= high:
            continue
        ours = by_tag.get(tag)
        if tag not in theirs:
            report.append(f"field {tag} {ours.name}: not in the oracle (extra)")
            continue
        name, kind, values = theirs[tag]
        if ours is None:
            report.append(f"field {tag}: missing")
            continue
        if ours.name != name:
            report.append(f"field {tag}: name {ours.name}, oracle says {name}")
        if ours.type != kind:
            report.append(f"field {tag} {ours.name}: type {ours.type}, oracle says {kind}")
        my_values = {value for value, _ in ours.values}
        if my_values != set(values):
            missing = sorted(set(values) - my_values)
            extra = sorted(my_values - set(values))
            report.append(f"field {tag} {ours.name}: enum values missing {missing}, extra {extra}")
    return report


def compare_members(where: str, mine: list[tables.Member], theirs: list[tables.Member]) -> list[str]:
    report = []
    my_names = [member.name for member in mine]
    their_names = [member.name for member in theirs]
    missing = [name for name in their_names if name not in my_names]
    extra = [name for name in my_names if name not in their_names]
    if missing:
        report.append(f"{where}: missing {missing}")
    if extra:
        report.append(f"{where}: extra {extra}")
    common_mine = [name for name in my_names if name in their_names]
    common_theirs = [name for name in their_names if name in my_names]
    if common_mine != common_theirs:
        report.append(f"{where}: order differs: ours {common_mine} oracle {common_theirs}")
    by_name = {member.name: member for member in mine}
    for member in theirs:
        ours = by_name.get(member.name)
        if ours is None:
            continue
        if ours.kind != member.kind:
            report.append(f"{where}: {member.name} is a {ours.kind}, oracle says {member.kind}")
            continue
        if ours.required != member.required:
            report.append(f"{where}: {member.name} required={'Y' if ours.required else 'N'}, "
                          f"oracle says {'Y' if member.required else 'N'}")
        if member.kind == "group":
            report.extend(compare_members(f"{where}/{member.name}", ours.members, member.members))
    return report


def compare_blocks(mine: list[tables.Block], theirs: dict, kinds: set[str], only_mine: bool = False) -> list[str]:
    report = []
    by_key = {(block.kind, block.name): block for block in mine}
    for key, block in theirs.items():
        if key[0] not in kinds:
            continue
        ours = by_key.get(key)
        label = key[0] if key[0] in ("header", "trailer") else f"{key[0]} {key[1]}"
        if ours is None:
            if only_mine:
                continue
            report.append(f"{label}: missing" + (f" (MsgType {block.msgtype})" if block.msgtype else ""))
            continue
        if block.kind == "message" and (ours.msgtype, ours.category) != (block.msgtype, block.category):
            report.append(f"{label}: MsgType {ours.msgtype} {ours.category}, oracle says {block.msgtype} {block.category}")
        report.extend(compare_members(label, ours.members, block.members))
    for key in by_key:
        if key[0] in kinds and key not in theirs:
            report.append(f"{key[0]} {key[1]}: not in the oracle (extra)")
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--oracle", help="a QuickFIX-format dictionary to compare with")
    parser.add_argument("--fields-only", nargs="+", metavar="FILE", help="check only these field tables")
    parser.add_argument("--range", default="0-999999", help="tag range LOW-HIGH for the field comparison")
    parser.add_argument("--components", action="store_true", help="compare header, trailer and components")
    parser.add_argument("--messages", action="store_true", help="compare messages")
    parser.add_argument("--blocks-only", nargs="+", metavar="FILE",
                        help="check only the blocks these files define (others are not reported missing)")
    arguments = parser.parse_args()
    low, high = (int(part) for part in arguments.range.split("-"))
    report: list[str] = []
    try:
        if arguments.blocks_only:
            field_paths, _ = tables.table_paths()
            fields = tables.read_fields(field_paths)
            blocks = [block for p in arguments.blocks_only
                      for block in tables.read_blocks(p if os.path.exists(p) else os.path.join(tables.HERE, p))]
        elif arguments.fields_only:
            fields = tables.read_fields([os.path.join(tables.HERE, p) if not os.path.isabs(p) and not os.path.exists(p) else p
                                         for p in arguments.fields_only])
            blocks = []
        else:
            field_paths, block_paths = tables.table_paths()
            fields = tables.read_fields(field_paths)
            blocks = [block for path in block_paths for block in tables.read_blocks(path)]
    except tables.TableError as error:
        print(f"error: {error}")
        return 1
    complete = len(tables.table_paths()[0]) >= 3 and not arguments.fields_only and not arguments.blocks_only
    report.extend(tables.consistency_errors(fields, blocks, check_fields=complete))
    if arguments.oracle:
        their_fields, their_blocks = read_oracle(arguments.oracle)
        chosen = set()
        if arguments.components:
            chosen |= {"header", "trailer", "component"}
        if arguments.messages:
            chosen |= {"message"}
        if arguments.blocks_only:
            chosen = {"header", "trailer", "component", "message"}
        if not chosen and not arguments.fields_only:
            chosen = {"header", "trailer", "component", "message"}
        if arguments.fields_only or not (arguments.components or arguments.messages or arguments.blocks_only):
            report.extend(compare_fields(fields, their_fields, low, high))
        report.extend(compare_blocks(blocks, their_blocks, chosen, only_mine=bool(arguments.blocks_only)))
    for line in report:
        print(line)
    counts = {kind: sum(1 for block in blocks if block.kind == kind) for kind in ("message", "component")}
    print(f"{len(report)} findings; tables hold {len(fields)} fields, {counts['message']} messages, "
          f"{counts['component']} components", file=sys.stderr)
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main())
