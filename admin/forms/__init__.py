"""The admin's forms (Piccolo `FormConfig`): each one calls a use case, so every rule
holds and every change writes its event, attributed to the logged-in staff account."""

from __future__ import annotations

from piccolo_admin.endpoints import FormConfig

from admin.forms.certificates import certificate_forms
from admin.forms.notifications import notification_forms
from admin.forms.people import people_forms
from admin.forms.reports import report_forms
from admin.forms.training import training_forms


def build_forms() -> list[FormConfig]:
    return [
        *people_forms(),
        *certificate_forms(),
        *training_forms(),
        *report_forms(),
        *notification_forms(),
    ]
