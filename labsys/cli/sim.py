"""``labsys sim``: the simulated instrument bench on its own, and its faults injected from another shell."""

from __future__ import annotations

from collections.abc import Callable

import click

from labsys.cli.root import main, settings_or_exit


@main.group(invoke_without_command=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--base-port", type=int, default=None, help="First port (default: the ports in the bench file).")
@click.option("--control-port", type=int, default=5100, show_default=True, help="Fault injection, on 127.0.0.1.")
@click.option(
    "--time-scale",
    type=click.FloatRange(min=0, min_open=True, max=1000),
    default=None,
    help="Wall seconds per second of the instruments' time; 1 is real time (default: LABSYS_SIM_TIME_SCALE, else 0.1).",
)
@click.pass_context
def sim(context: click.Context, host: str, base_port: int | None, control_port: int, time_scale: float | None) -> None:
    """Run the simulated instrument bench on its own; inject and clear its faults from another shell."""
    if context.invoked_subcommand is not None:
        return
    from labsys.demo.lab import serve_simulated_bench  # noqa: PLC0415

    if time_scale is None:
        time_scale = settings_or_exit().sim_time_scale
    serve_simulated_bench(
        host=host, base_port=base_port, control_port=control_port, time_scale=time_scale, echo=click.echo
    )


_CONTROL_PORT = click.option("--control-port", type=int, default=5100, show_default=True, help="The bench's.")


@sim.command("fault")
@click.argument("asset_tag")
@click.argument("kind")
@click.option("--delay-s", type=click.FloatRange(min=0), default=None, help="How late a late_reply comes, in s.")
@_CONTROL_PORT
def sim_fault(asset_tag: str, kind: str, delay_s: float | None, control_port: int) -> None:
    """Make instrument ASSET_TAG of a running bench misbehave: KIND is no_reply, late_reply, partial_line,
    drop_mid_block, garbage, refused_connection or queue_error."""
    from labsys.demo.lab import inject_bench_fault  # noqa: PLC0415

    _on_bench(lambda: inject_bench_fault(asset_tag, kind, delay_s=delay_s, control_port=control_port))
    click.echo(f"{asset_tag}: {kind.lower()}")


@sim.command("clear")
@click.argument("asset_tag")
@_CONTROL_PORT
def sim_clear(asset_tag: str, control_port: int) -> None:
    """Make instrument ASSET_TAG of a running bench behave again."""
    from labsys.demo.lab import clear_bench_faults  # noqa: PLC0415

    _on_bench(lambda: clear_bench_faults(asset_tag, control_port=control_port))
    click.echo(f"{asset_tag}: no fault")


def _on_bench(request: Callable[[], None]) -> None:
    from labsys.errors import LabError  # noqa: PLC0415

    try:
        request()
    except LabError as exc:
        raise click.ClickException(exc.detail) from exc
