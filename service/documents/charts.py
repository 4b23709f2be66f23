"""The dashboard's charts as SVG, drawn by pygal (text is escaped by pygal's XML writer;
the page shows each SVG as an image, so nothing in it can run)."""

from __future__ import annotations

import pygal
from pygal.style import Style

from service.domain.hours import as_hours
from service.usecases.dashboard import Dashboard

STYLE = Style(
    font_family=(
        '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif'
    ),
    background="white",
    plot_background="white",
    colors=("#2563eb", "#16a34a", "#d97706", "#dc2626", "#6b7280", "#7c3aed", "#0891b2"),
    title_font_size=18,
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=12,
    legend_font_size=13,
)
_OPTIONS = {"style": STYLE, "width": 800, "disable_xml_declaration": True, "print_values": True}


def compliance_chart(board: Dashboard) -> str:
    """Compliance rate per agency, as a horizontal bar of percent."""
    height = max(240, 60 + 34 * len(board.agencies))
    chart = pygal.HorizontalBar(
        title=f"{board.year}年度各单位学时达标率（%）",
        height=height,
        range=(0, 100),
        show_legend=False,
        truncate_label=-1,
        margin_left=20,
        **_OPTIONS,
    )
    chart.x_labels = [name for name, _ in board.agencies]
    chart.add("达标率", [round(100 * (totals.rate or 0), 1) for _, totals in board.agencies])
    return str(chart.render(is_unicode=True))


def months_chart(board: Dashboard) -> str:
    chart = pygal.Bar(
        title=f"{board.year}年度每月取得学时", height=360, show_legend=False, **_OPTIONS
    )
    chart.x_labels = [f"{m}月" for m in range(1, 13)]
    chart.add("学时", [as_hours(t) for t in board.months])
    return str(chart.render(is_unicode=True))


def statuses_chart(board: Dashboard) -> str:
    chart = pygal.Pie(title="证件状态", height=360, inner_radius=0.45, **_OPTIONS)
    for status, count in sorted(board.statuses.items(), key=lambda item: -item[1]):
        chart.add(status.label, count)
    return str(chart.render(is_unicode=True))
