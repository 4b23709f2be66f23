"""`officer-cert`: the service's command line.

- `server`: migrate, create-admin, set-password, demo, serve;
- `upkeep`: certificates sweep, audit verify, keys rotate and list;
- `data`: import officers, certificates, hours and exams; report compliance;
- `exchange`: api-keys create, revoke and list;
- `backups`: backup, restore;
- `notify`: worker.
"""

from __future__ import annotations

import click

from service.cli import backups, data, exchange, notify, server, upkeep


@click.group()
def main() -> None:
    """行政执法证件与培训学时管理: enforcement certificates and training hours."""


for command in (
    server.migrate,
    server.create_admin,
    server.set_password,
    server.demo_command,
    server.serve,
    upkeep.certificates_group,
    upkeep.audit_group,
    upkeep.keys_group,
    data.import_group,
    data.report_group,
    exchange.api_keys_group,
    backups.backup_command,
    backups.restore_command,
    notify.worker_command,
):
    main.add_command(command)
