"""The migrations build exactly the schema the models describe, on both backends.

The session's database was created empty and upgraded to ``heads`` by the ``database_url``
fixture; Alembic's autogenerate comparison (what ``flask db check`` runs) must then find
nothing to change.
"""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import Migrate

from eventapp import create_app
from eventapp.database_status import head_revisions
from eventapp.extensions import db
from tests.conftest import _base_config


def _describe(diff) -> str:
    if isinstance(diff, list):  # column modifications come as a list of tuples
        return "; ".join(_describe(item) for item in diff)
    kind, *rest = diff
    return f"{kind}: " + ", ".join(str(part) for part in rest[:3])


def test_upgraded_database_matches_the_models(database_url):
    app = create_app(_base_config(database_url))
    migrate: Migrate = app.extensions["migrate"]
    with app.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "compare_server_default": False,
                    "render_as_batch": True,
                    **migrate.configure_args,
                },
            )
            differences = compare_metadata(context, db.metadata)
            current = set(context.get_current_heads())
        db.engine.dispose()
    assert current == set(head_revisions())
    assert not differences, "the models and the migrations differ:\n" + "\n".join(
        _describe(diff) for diff in differences
    )


def test_every_migration_descends_from_the_foundation():
    from alembic.config import Config

    from eventapp.database_status import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    bases = script.get_bases()
    assert bases == ["0001_foundation"]
    for revision in script.walk_revisions():
        assert revision.down_revision is not None or revision.revision == "0001_foundation"
