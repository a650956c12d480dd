"""Every table that holds personal data is in the export (or says why it is not personal).

Walks the real schema (``db.metadata``), so a new model with a link to ``users.id`` or a
column named like an e-mail address, a name, a phone number or an address fails here until
it is added to ``eventapp/privacy/registry.py``.
"""

from __future__ import annotations

import re

from eventapp.extensions import db
from eventapp.privacy.registry import NOT_PERSONAL, SECTIONS, covered

PERSONAL_NAME = re.compile(r"(^|_)(e?mail|name|phone|address|personnummer)($|_)")


def _user_columns(table) -> list[str]:
    return [
        column.name
        for column in table.columns
        if any(
            fk.column.table.name == "users" and fk.column.name == "id" for fk in column.foreign_keys
        )
    ]


def _personal_named_columns(table) -> list[str]:
    return [column.name for column in table.columns if PERSONAL_NAME.search(column.name)]


def test_every_personal_table_is_exported_or_explained(app):
    known = covered()
    missing = []
    for table in db.metadata.sorted_tables:
        if table.name in NOT_PERSONAL:
            continue
        for column in _user_columns(table):
            dotted = f"{table.name}.{column}"
            if dotted not in known and dotted not in NOT_PERSONAL:
                missing.append(f"{dotted} (links to users.id)")
        named = [
            column
            for column in _personal_named_columns(table)
            if f"{table.name}.{column}" not in NOT_PERSONAL
        ]
        if named and table.name not in known:
            missing.append(f"{table.name} (columns {', '.join(named)})")
    assert not missing, (
        "personal data missing from the export registry (eventapp/privacy/registry.py: add a "
        "Section, or a NOT_PERSONAL entry with the reason): " + "; ".join(missing)
    )


def test_the_registry_names_only_real_tables_and_columns(app):
    tables = db.metadata.tables
    unknown = []
    for item in covered() | set(NOT_PERSONAL):
        table_name, _, column = item.partition(".")
        if table_name not in tables or (column and column not in tables[table_name].c):
            unknown.append(item)
    assert not unknown, unknown


def test_not_personal_entries_give_a_reason():
    assert all(len(reason) > 20 for reason in NOT_PERSONAL.values())


def test_section_keys_are_unique():
    keys = [section.key for section in SECTIONS]
    assert len(keys) == len(set(keys))


def test_the_check_catches_a_new_personal_table(app):
    """The check is not vacuous: a table like a future model's fails it."""
    from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table

    metadata = MetaData()
    Table("users", metadata, Column("id", Integer, primary_key=True))
    guests = Table(
        "breakfast_guests_example",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("user_id", ForeignKey("users.id")),
        Column("phone", String(20)),
    )
    assert _user_columns(guests) == ["user_id"]
    assert _personal_named_columns(guests) == ["phone"]
    assert "breakfast_guests_example.user_id" not in covered()
