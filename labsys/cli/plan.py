"""``labsys plan``: the planner's proposal for a lab week, printed, and applied with ``--apply``."""

from __future__ import annotations

import click

from labsys.cli.root import main, migrated, settings_or_exit


@main.command("plan")
@click.option("--week", required=True, help="The lab week to plan, an ISO week such as 2026-W49.")
@click.option(
    "--time-limit",
    "time_limit_s",
    default=20,
    show_default=True,
    type=click.IntRange(1, 60),
    help="Seconds the solver may think.",
)
@click.option("--apply", "apply_it", is_flag=True, help="Apply the plan at once (one transaction).")
def plan(week: str, time_limit_s: int, apply_it: bool) -> None:
    """Propose the week's plan of waiting work (moved, assigned, unplaceable and why) and, with --apply, apply it."""
    from pydantic import ValidationError  # noqa: PLC0415

    from labsys.audit import Actor  # noqa: PLC0415
    from labsys.errors import LabError  # noqa: PLC0415
    from labsys.planning.schemas import PlanCreate  # noqa: PLC0415
    from labsys.planning.service import PlanningService  # noqa: PLC0415
    from labsys.planning.table import plan_lines  # noqa: PLC0415
    from labsys.scheduling import policy_for  # noqa: PLC0415

    try:
        plan_in = PlanCreate(week=week, time_limit_s=time_limit_s)
    except ValidationError as exc:
        raise click.BadParameter(str(exc.errors()[0]["msg"]), param_hint="--week") from exc
    settings = settings_or_exit()
    database = migrated(settings)
    service = PlanningService(database, policy_for(settings))
    try:
        proposed = service.propose(plan_in, by=Actor("cli"))
        click.echo("\n".join(plan_lines(proposed, settings.zone)))
        if apply_it:
            applied = service.apply(proposed.id, by=Actor("cli"))
            click.echo(f"plan {applied.id} applied")
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc
    finally:
        database.dispose()
