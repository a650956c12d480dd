"""Command-line tasks: database set-up, demo data, accounts and periodic jobs."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from eventapp.extensions import db


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Bring the database to the newest migration (creates it when empty)."""
    upgrade(directory=current_app.extensions["migrate"].directory, revision="heads")
    click.echo("The database is at the newest migration.")


@click.command("seed-demo")
@click.option("--password", required=True, help="Password for every demo account.")
@click.option("--force", is_flag=True, help="Allow outside development (never in production).")
@with_appcontext
def seed_demo_command(password: str, force: bool) -> None:
    """Fill the database with realistic demo data (idempotent)."""
    from eventapp.demo import seed_demo

    if current_app.config["ENVIRONMENT"] != "development" and not force:
        raise click.ClickException(
            "seed-demo only runs in development (EVENTAPP_ENVIRONMENT=development) unless "
            "--force is given."
        )
    created = seed_demo(db.session, password)
    db.session.commit()
    click.echo("Demo data created." if created else "Demo data already present; nothing done.")


@click.command("create-admin")
@click.option("--name", prompt=True)
@click.option("--email", prompt=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_admin_command(name: str, email: str, password: str) -> None:
    """Create an administrator account (prompts for the details)."""
    from eventapp.auth.models import Role
    from eventapp.auth.services import AccountError, create_user, find_user_by_email

    if len(password) < current_app.config["PASSWORD_MIN_LENGTH"]:
        raise click.ClickException("The password is too short.")
    try:
        if find_user_by_email(db.session, email) is not None:
            raise click.ClickException("An account with that e-mail address already exists.")
        create_user(
            db.session,
            name=name.strip(),
            email=email,
            password=password,
            roles=(Role.ENTREPRENEUR, Role.ORGANISER, Role.ADMIN),
            confirmed=True,
        )
    except AccountError as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo("Administrator created.")


@click.command("send-mail")
@click.option("--limit", default=500, show_default=True)
@with_appcontext
def send_mail_command(limit: int) -> None:
    """Send pending messages from the outbox (run from cron or a timer)."""
    from eventapp.mail import send_outbox

    report = send_outbox(current_app._get_current_object(), limit=limit)
    click.echo(f"sent {report.sent}, failed {report.failed}")


@click.command("send-reminders")
@with_appcontext
def send_reminders_command() -> None:
    """Queue tomorrow's event reminders (run daily; running it twice sends once)."""
    from eventapp.calendar.services import send_reminders

    queued = send_reminders(db.session)
    db.session.commit()
    click.echo(f"queued {queued} reminders; send-mail sends them")


@click.command("send-jury-reminders")
@with_appcontext
def send_jury_reminders_command() -> None:
    """Remind award jurors who are behind (run daily; at most one mail per juror and day)."""
    from eventapp.awards.jury import send_jury_reminders

    queued = send_jury_reminders(db.session, current_app.config["BASE_URL"].rstrip("/"))
    db.session.commit()
    click.echo(f"queued {queued} jury reminders; send-mail sends them")


@click.command("purge")
@with_appcontext
def purge_command() -> None:
    """Remove or anonymise personal data past its retention period (run daily; idempotent)."""
    from eventapp.privacy.retention import purge

    report = purge(db.session, current_app.config)
    db.session.commit()
    for category, count in report.items():
        click.echo(f"{category}: {count}")


def init_app(app: Flask) -> None:
    for command in (init_db_command, seed_demo_command, create_admin_command, send_mail_command):
        app.cli.add_command(command)
    app.cli.add_command(send_reminders_command)
    app.cli.add_command(send_jury_reminders_command)
    app.cli.add_command(purge_command)
