"""``labsys runs``: analyse a completed run again from its stored file."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from labsys.runs.reanalysis import Reanalysis

from labsys.cli.root import main, migrated, settings_or_exit


@main.group()
def runs() -> None:
    """Runs and their analyses."""


@runs.command("reanalyse")
@click.argument("run_id", type=int)
@click.option("--by", "by", default="cli", show_default=True, help="Who asks (recorded in the audit trail).")
def runs_reanalyse(run_id: int, by: str) -> None:
    """Analyse a completed run again from its stored file, keep it as a new version, and compare it with the
    run's result (version 1). The run and its file are not changed."""
    from labsys.audit import Actor  # noqa: PLC0415
    from labsys.errors import LabError  # noqa: PLC0415
    from labsys.runs.reanalysis import reanalyse_run  # noqa: PLC0415
    from labsys.stations.analyses import PROGRAMS  # noqa: PLC0415

    settings = settings_or_exit()
    database = migrated(settings)
    analyses = {procedure: program.analysis for procedure, program in PROGRAMS.items()}
    try:
        done = reanalyse_run(db=database, data_dir=settings.data_dir, run_id=run_id, analyses=analyses, actor=Actor(by))
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc
    except (ValueError, OSError) as exc:  # the analysis failed on the file, or the file could not be read
        raise click.ClickException(f"the analysis of run {run_id} failed: {type(exc).__name__}: {exc}") from exc
    finally:
        database.dispose()
    for line in _reanalysis_lines(done):
        click.echo(line)


def _quantity(metric: dict[str, object] | None) -> str:
    if metric is None:
        return "-"
    u = metric.get("expanded_uncertainty")
    units = "" if metric.get("units") in {"", "1", None} else f" {metric['units']}"
    return f"{metric['value']:.10g} ± {'unknown' if u is None else format(u, '.3g')}{units}"


def _reanalysis_lines(done: Reanalysis) -> list[str]:
    old, new = done.reference, done.new
    lines = [
        f"run {done.run_id} ({done.method_code}): file SHA-256 {done.file_sha256} as recorded",
        *(
            f"version {v.version}: {v.program or '(program not recorded)'} {v.program_version}, by {v.actor} at "
            f"{v.created_at:%Y-%m-%d %H:%M} UTC"
            for v in (old, new)
        ),
        f"{'metric':32} {'version ' + str(old.version):36} {'version ' + str(new.version):36} agreement",
    ]
    lines += [f"{m.name:32} {_quantity(m.before):36} {_quantity(m.after):36} {m.agreement}" for m in done.metrics]
    lines.append(f"{'verdict':32} {old.verdict or '-':36} {new.verdict or '-'}")
    if done.reproduces:
        lines.append(f"version {new.version} reproduces version {old.version}.")
    elif done.agrees:
        lines.append(f"version {new.version} agrees with version {old.version} within its uncertainties.")
    else:
        lines.append(f"version {new.version} DISAGREES with version {old.version}.")
    lines.append(f"The run's result stays version {old.version}; version {new.version} is kept beside it.")
    return lines
