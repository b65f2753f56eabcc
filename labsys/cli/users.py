"""``labsys users``: create users, lift a sign-in lock, and set engineers' shifts and leave."""

from __future__ import annotations

import click

from labsys.cli.root import main, migrated, settings_or_exit

_ROLES = ("customer", "engineer", "reviewer", "admin")


@main.group()
def users() -> None:
    """The lab's users."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--role", type=click.Choice(_ROLES), required=True)
@click.option("--name", default=None, help="Full name (default: the part of the email before @).")
@click.option("--company", "company_id", type=int, default=None, help="Company id (customers only).")
@click.option("--qualification", "qualifications", multiple=True, help="Instrument kind or method code; repeat.")
def users_create(  # noqa: PLR0917 - click passes options positionally
    email: str, password: str, role: str, name: str | None, company_id: int | None, qualifications: tuple[str, ...]
) -> None:
    """Create a user."""
    from pydantic import ValidationError  # noqa: PLC0415

    from labsys.audit import Actor  # noqa: PLC0415
    from labsys.companies.models import Role, UserCreate  # noqa: PLC0415
    from labsys.companies.service import AccountService  # noqa: PLC0415
    from labsys.errors import LabError  # noqa: PLC0415

    try:
        user_in = UserCreate(
            email=email, name=name or email.split("@", 1)[0], password=password, role=Role(role),
            company_id=company_id, qualifications=list(qualifications),
        )  # fmt: skip
    except ValidationError as exc:
        raise click.ClickException(str(exc)) from exc
    database = migrated(settings_or_exit())
    try:
        user = AccountService(database).create_user(user_in, by=Actor("cli"))
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc
    finally:
        database.dispose()
    click.echo(f"created {user.role} {user.email} (id {user.id})")


@users.command("unlock")
@click.argument("email")
def users_unlock(email: str) -> None:
    """Lift the sign-in lock of the user who signs in with EMAIL (too many wrong passwords)."""
    from labsys.audit import Actor  # noqa: PLC0415
    from labsys.companies.credentials import CredentialService  # noqa: PLC0415
    from labsys.errors import LabError  # noqa: PLC0415

    database = migrated(settings_or_exit())
    try:
        credentials = CredentialService(database)
        user = credentials.unlock(credentials.user_id_of(email), by=Actor("cli"))
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc
    finally:
        database.dispose()
    click.echo(f"sign-in unlocked for {user.email}: their wrong passwords are forgotten")


@users.command("shifts")
@click.argument("email")
@click.option("--shift", "shifts", multiple=True, help="A weekly shift, e.g. 'mon 09:00-13:00' (lab time); repeat.")
@click.option("--opening-hours", is_flag=True, help="No shifts: the engineer works the lab's opening hours.")
def users_shifts(email: str, shifts: tuple[str, ...], opening_hours: bool) -> None:
    """Set the weekly shifts of the engineer who signs in with EMAIL (replacing the ones before)."""
    from pydantic import ValidationError  # noqa: PLC0415

    from labsys.audit import Actor  # noqa: PLC0415
    from labsys.companies.credentials import CredentialService  # noqa: PLC0415
    from labsys.errors import LabError  # noqa: PLC0415
    from labsys.scheduling.engineer_time import EngineerTimeService  # noqa: PLC0415
    from labsys.scheduling.schemas import ShiftsUpdate, parse_shift  # noqa: PLC0415

    if bool(shifts) == opening_hours:
        raise click.UsageError("give the shifts (--shift, repeated) or --opening-hours, not both nor neither")
    try:
        update = ShiftsUpdate(shifts=[parse_shift(text) for text in shifts])
    except (ValueError, ValidationError) as exc:
        raise click.ClickException(str(exc)) from exc
    database = migrated(settings_or_exit())
    try:
        user_id = CredentialService(database).user_id_of(email)
        saved = EngineerTimeService(database).set_shifts(user_id, update, by=Actor("cli"))
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc
    finally:
        database.dispose()
    click.echo(f"{email} works {saved.count} weekly shifts" if saved.count else f"{email} works opening hours")


@users.command("leave")
@click.argument("email")
@click.option("--first", "first_day", required=True, help="The first day off, YYYY-MM-DD.")
@click.option("--last", "last_day", required=True, help="The last day off (inclusive), YYYY-MM-DD.")
@click.option("--reason", required=True)
def users_leave(email: str, first_day: str, last_day: str, reason: str) -> None:
    """Record leave for the engineer who signs in with EMAIL."""
    from pydantic import ValidationError  # noqa: PLC0415

    from labsys.audit import Actor  # noqa: PLC0415
    from labsys.companies.credentials import CredentialService  # noqa: PLC0415
    from labsys.errors import LabError  # noqa: PLC0415
    from labsys.scheduling.engineer_time import EngineerTimeService  # noqa: PLC0415
    from labsys.scheduling.schemas import LeaveCreate  # noqa: PLC0415

    try:
        leave = LeaveCreate.model_validate({"first_day": first_day, "last_day": last_day, "reason": reason})
    except ValidationError as exc:
        raise click.ClickException(str(exc)) from exc
    database = migrated(settings_or_exit())
    try:
        user_id = CredentialService(database).user_id_of(email)
        added = EngineerTimeService(database).add_leave(user_id, leave, by=Actor("cli"))
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc
    finally:
        database.dispose()
    click.echo(f"{email} is on leave from {added.first_day} to {added.last_day} (leave {added.id})")
