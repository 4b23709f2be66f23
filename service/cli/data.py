"""Data in and out for scripts and people: import officers, certificates, hours and exam
results; report compliance; the annual report."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import msgspec

from service.cli.runtime import console, progress_bar, run, services_for
from service.documents import annual_pdf
from service.documents import annual_report as annual_documents
from service.documents import compliance as compliance_report
from service.documents.tabular import rows_of
from service.settings import Settings
from service.usecases import accounts, annual_report
from service.usecases.import_kinds import KINDS, ImportKind
from service.usecases.imports import ImportReport, Upload
from service.usecases.reports import compliance_rows

ACT_AS = click.option(
    "--as", "username", help="Staff account to act as (default: the first superadmin)."
)


@click.group("import")
def import_group() -> None:
    """Bulk imports from spreadsheets."""


def _import_command(kind: ImportKind) -> click.Command:
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--atomic", is_flag=True, help="Keep nothing when any row is bad.")
    @ACT_AS
    def command(path: Path, atomic: bool, username: str | None) -> None:
        content = path.read_bytes()

        async def work(settings: Settings) -> ImportReport:
            async with services_for(settings) as services:
                principal = await accounts.acting_as(username)
                upload = Upload(content, rows_of(content, kind.headers))
                with progress_bar(f"Importing {path.name}") as moved:
                    return await kind.run(
                        services, principal, upload, atomic=atomic, progress=moved
                    )

        report = run(work)
        for error in report.errors:
            console.print(
                f"row {error.row} {error.field or ''}: {error.message} [dim]({error.code})[/]"
            )
        kept = "nothing kept (--atomic)" if not report.written else "kept"
        known = f"{report.unchanged} known already, " if report.unchanged else ""
        console.print(
            f"{report.rows} rows: {report.created} created, {report.updated} updated, "
            f"{known}{len(report.errors)} bad; {kept}."
        )
        if report.errors:
            sys.exit(1)

    command.__doc__ = (
        f"Import {kind.name} from a CSV (UTF-8 or GBK) or XLSX file (columns: "
        f"{', '.join(kind.columns)}, or in Chinese: {'、'.join(kind.columns.values())}); prints "
        "every bad row and exits 1 when there was one."
    )
    return click.command(kind.name)(command)


for _kind in KINDS.values():
    import_group.add_command(_import_command(_kind))


@click.group("report")
def report_group() -> None:
    """Reports for scripts and cron."""


@report_group.command("compliance")
@click.option("--year", type=int, required=True, help="The calendar year reported on.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in compliance_report.Format]),
    default="csv",
)
@click.option("--region", "region_code", help="A region code (default: everything).")
@click.option("--agency", "agency_id", type=int, help="One agency's officers.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File.")
@ACT_AS
def report_compliance(
    year: int,
    fmt: str,
    region_code: str | None,
    agency_id: int | None,
    output: Path | None,
    username: str | None,
) -> None:
    """The yearly hours compliance report (the API's /reports/compliance), to a file or
    standard output (XLSX needs --output)."""
    if fmt == "xlsx" and output is None:
        raise click.UsageError("XLSX is binary: give --output FILE.")

    async def work(settings: Settings) -> None:
        async with services_for(settings) as services:
            principal = await accounts.acting_as(username)
            rows = await compliance_rows(
                services, principal, year, region_code=region_code, agency_id=agency_id
            )
            chunks = compliance_report.chunks(compliance_report.Format(fmt), year, rows)
            sink = open(output, "wb") if output else sys.stdout.buffer  # noqa: ASYNC230, SIM115
            try:
                async for chunk in chunks:
                    sink.write(chunk)
            finally:
                if output:
                    sink.close()

    run(work)
    if output:
        console.print(f"[green]Wrote {output}.[/]")


@report_group.command("annual")
@click.option("--year", type=int, required=True, help="The calendar year reported on.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in annual_documents.ReportFormat]),
    default="pdf",
)
@click.option("--region", "region_code", help="A region code (default: the whole jurisdiction).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File.")
@ACT_AS
def report_annual(
    year: int, fmt: str, region_code: str | None, output: Path | None, username: str | None
) -> None:
    """The annual report (年度报告, the API's /reports/annual): PDF, XLSX or JSON, to a file
    or (JSON only) standard output."""
    chosen = annual_documents.ReportFormat(fmt)
    if chosen is not annual_documents.ReportFormat.JSON and output is None:
        raise click.UsageError(f"{fmt.upper()} is binary: give --output FILE.")

    async def work(settings: Settings) -> bytes:
        async with services_for(settings) as services:
            principal = await accounts.acting_as(username)
            report = await annual_report.annual_report(
                services, principal, year, region_code=region_code
            )
            if chosen is annual_documents.ReportFormat.PDF:
                return await annual_pdf.pdf(report, settings.card_font)
            if chosen is annual_documents.ReportFormat.XLSX:
                return annual_documents.workbook(report)
            return msgspec.json.format(
                msgspec.json.encode(annual_documents.annual_report_out(report))
            )

    content = run(work)
    if output is None:
        sys.stdout.buffer.write(content + b"\n")
        return
    output.write_bytes(content)
    console.print(f"[green]Wrote {output}.[/]")
