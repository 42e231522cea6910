"""Reads the compact FIX tables of this folder (see FORMAT.md) into plain Python values.

Shared by generate.py (which writes the XML) and check.py (which checks the tables).
Every error names the file and line it comes from.
"""
from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))

TYPES = {
    "INT", "LENGTH", "NUMINGROUP", "SEQNUM", "TAGNUM", "DAYOFMONTH", "FLOAT", "QTY", "PRICE",
    "PRICEOFFSET", "AMT", "PERCENTAGE", "CHAR", "BOOLEAN", "STRING", "MULTIPLEVALUESTRING",
    "COUNTRY", "CURRENCY", "EXCHANGE", "MONTHYEAR", "UTCTIMESTAMP", "UTCTIMEONLY", "UTCDATEONLY",
    "LOCALMKTDATE", "DATA", "XMLDATA", "LANGUAGE", "UTCDATE", "TIME", "DATE",
}


class TableError(Exception):
    def __init__(self, path: str, line: int, message: str):
        super().__init__(f"{os.path.basename(path)}:{line}: {message}")


@dataclass
class Field:
    tag: int
    name: str
    type: str
    values: list[tuple[str, str]] = field(default_factory=list)
    line: int = 0
    path: str = ""


@dataclass
class Member:
    """A field, a component reference (`kind == "component"`) or a group (a field with members)."""
    kind: str  # "field", "component" or "group"
    name: str
    required: bool
    members: list["Member"] = field(default_factory=list)
    line: int = 0


@dataclass
class Block:
    kind: str  # "header", "trailer", "component" or "message"
    name: str
    members: list[Member]
    msgtype: str = ""
    category: str = ""
    line: int = 0
    path: str = ""


def _lines(path: str):
    """Yields (line number, indent level, words) for each meaningful line."""
    with open(path, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            text = raw.rstrip("\n").rstrip()
            cut = text.find(" #")
            if text.lstrip().startswith("#"):
                continue
            if cut >= 0:
                text = text[:cut].rstrip()
            if not text.strip():
                continue
            stripped = text.lstrip(" ")
            indent = len(text) - len(stripped)
            if "\t" in text[:indent + 1]:
                raise TableError(path, number, "tabs are not allowed; indent with two spaces")
            if indent % 2:
                raise TableError(path, number, f"indentation of {indent} spaces is not a multiple of two")
            yield number, indent // 2, stripped.split()


def read_fields(paths: list[str]) -> list[Field]:
    fields: list[Field] = []
    for path in paths:
        current: Field | None = None
        for number, level, words in _lines(path):
            if level == 0:
                if len(words) != 3:
                    raise TableError(path, number, "a field line is '<tag> <Name> <TYPE>'")
                tag, name, kind = words
                if not tag.isdigit():
                    raise TableError(path, number, f"tag '{tag}' is not a number")
                if kind not in TYPES:
                    raise TableError(path, number, f"unknown type '{kind}'")
                current = Field(int(tag), name, kind, line=number, path=path)
                fields.append(current)
            elif level == 1:
                if current is None:
                    raise TableError(path, number, "an enum value before any field")
                if len(words) != 2:
                    raise TableError(path, number, "an enum line is '<value> <DESCRIPTION>'")
                current.values.append((words[0], words[1]))
            else:
                raise TableError(path, number, "enum values are indented one level, no deeper")
    return fields


def read_blocks(path: str) -> list[Block]:
    blocks: list[Block] = []
    stack: list[list[Member]] = []
    for number, level, words in _lines(path):
        if level == 0:
            head = words[0]
            if head in ("header", "trailer") and len(words) == 1:
                block = Block(head, head, [], line=number, path=path)
            elif head == "component" and len(words) == 2:
                block = Block("component", words[1], [], line=number, path=path)
            elif head == "message" and len(words) == 4 and words[3] in ("admin", "app"):
                block = Block("message", words[1], [], msgtype=words[2], category=words[3], line=number, path=path)
            else:
                raise TableError(path, number, "expected 'header', 'trailer', 'component <Name>' or "
                                 "'message <Name> <MsgType> <admin|app>'")
            blocks.append(block)
            stack = [block.members]
            continue
        if not stack:
            raise TableError(path, number, "a member outside any block")
        if len(words) != 2 or words[1] not in ("Y", "N"):
            raise TableError(path, number, "a member line is '<Name> <Y|N>' or '@<Component> <Y|N>'")
        if level > len(stack):
            # One level deeper than the member before: that member is a group's count field.
            previous = stack[-1][-1] if stack[-1] else None
            if level != len(stack) + 1 or previous is None:
                raise TableError(path, number, "indentation skips a level")
            if previous.kind == "component":
                raise TableError(path, number, f"members indented under the component reference @{previous.name}")
            previous.kind = "group"
            stack.append(previous.members)
        else:
            del stack[level:]
        name = words[0]
        kind = "component" if name.startswith("@") else "field"
        stack[level - 1].append(Member(kind, name.lstrip("@"), words[1] == "Y", line=number))
    return blocks


def table_paths() -> tuple[list[str], list[str]]:
    fields = sorted(glob.glob(os.path.join(HERE, "fields-*.txt")))
    # Header, trailer and components first, then messages; each may be split over files.
    blocks = sorted(glob.glob(os.path.join(HERE, "components*.txt")))
    blocks += sorted(glob.glob(os.path.join(HERE, "messages*.txt")))
    return fields, blocks


def consistency_errors(fields: list[Field], blocks: list[Block], check_fields: bool = True) -> list[str]:
    """What would make the generated dictionary fail to load, or be wrong on its face."""
    errors: list[str] = []
    by_tag: dict[int, Field] = {}
    by_name: dict[str, Field] = {}
    for item in fields:
        where = f"{os.path.basename(item.path)}:{item.line}"
        if item.tag in by_tag:
            errors.append(f"{where}: tag {item.tag} defined twice ({by_tag[item.tag].name}, {item.name})")
        if item.name in by_name:
            errors.append(f"{where}: field name {item.name} defined twice")
        by_tag.setdefault(item.tag, item)
        by_name.setdefault(item.name, item)
        seen = set()
        for value, _ in item.values:
            if value in seen:
                errors.append(f"{where}: {item.name} enum value '{value}' listed twice")
            seen.add(value)
    components = {block.name: block for block in blocks if block.kind == "component"}
    names: dict[tuple[str, str], Block] = {}
    for block in blocks:
        key = (block.kind, block.name)
        if key in names:
            errors.append(f"{os.path.basename(block.path)}:{block.line}: {block.kind} {block.name} defined twice")
        names[key] = block

    def walk(owner: str, members: list[Member], path: str):
        seen: set[str] = set()
        for member in members:
            where = f"{os.path.basename(path)}:{member.line}: {owner}"
            if member.name in seen:
                errors.append(f"{where}: {member.name} listed twice")
            seen.add(member.name)
            if member.kind == "component":
                if check_fields and member.name not in components:
                    errors.append(f"{where}: unknown component @{member.name}")
                continue
            definition = by_name.get(member.name)
            if check_fields and definition is None:
                errors.append(f"{where}: unknown field {member.name}")
            if member.kind == "group":
                if definition is not None and definition.type != "NUMINGROUP":
                    errors.append(f"{where}: group {member.name} has a count field of type {definition.type}, not NUMINGROUP")
                walk(f"{owner}/{member.name}", member.members, path)
            elif definition is not None and definition.type == "NUMINGROUP" and check_fields:
                errors.append(f"{where}: {member.name} is a NUMINGROUP field but has no group members")

    for block in blocks:
        walk(f"{block.kind} {block.name}", block.members, block.path)
    messages = [block for block in blocks if block.kind == "message"]
    types = [block.msgtype for block in messages]
    for duplicate in sorted({t for t in types if types.count(t) > 1}):
        errors.append(f"MsgType {duplicate} used by more than one message")
    return errors
