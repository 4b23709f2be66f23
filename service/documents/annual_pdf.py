"""The annual report (行政执法工作年度报告) as an A4 PDF in Chinese, ready to print and
file: title, an overview in words, two charts (coverage and compliance per agency; the
training plan against what was held) and the tables of `annual_report.tables`. Text is
real text in an embedded CJK TrueType font, so the PDF can be searched and read back."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import anyio
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from service.documents.annual_report import (
    CATEGORIES,
    Cell,
    ReportTable,
    local_time,
    percent,
    tables,
    title_of,
)
from service.documents.fonts import find_cjk_font
from service.domain.errors import Unavailable
from service.domain.hours import as_hours
from service.domain.labels import label
from service.domain.requirements import TOTAL
from service.usecases.annual_report import AnnualReport

_INK = colors.HexColor("#1f2937")
_RULE = colors.HexColor("#9ca3af")
_HEAD = colors.HexColor("#e5e7eb")
_SERIES = (colors.HexColor("#2563eb"), colors.HexColor("#16a34a"))
MOST_IN_CHART = 25  # agencies in the first chart; more would not be legible on A4


async def pdf(report: AnnualReport, configured_font: Path | None) -> bytes:
    """The report on A4 (drawn off the event loop). Raises Unavailable
    `card.font_missing` when no CJK font can draw it."""
    font = _registered(find_cjk_font(configured_font))
    return await anyio.to_thread.run_sync(render_pdf, report, font)


@lru_cache(maxsize=4)
def _registered(path: Path) -> str:
    """The font's name for reportlab, registered once. Only TrueType outlines can be
    embedded (a CFF font such as Noto CJK's OpenType files cannot)."""
    name = f"cjk-{abs(hash(str(path))):x}"
    try:
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
    except (TTFError, OSError) as error:
        raise Unavailable(
            f"The font {path.name} cannot be embedded in a PDF ({error}): install "
            "fonts-wqy-microhei (apt-get install fonts-wqy-microhei), or set CARD_FONT to "
            "a TrueType .ttf/.ttc file.",
            code="card.font_missing",
        ) from None
    return name


def render_pdf(report: AnnualReport, font: str) -> bytes:
    def style(size: float, *, leading: float | None = None, align: int = 0) -> ParagraphStyle:
        return ParagraphStyle(
            f"s{size}{align}", fontName=font, fontSize=size, leading=leading or size * 1.35,
            alignment=align, textColor=_INK, wordWrap="CJK",
        )  # fmt: skip

    heading, subtitle, section = style(18, align=1), style(10, align=1), style(13)
    body, cell = style(10.5, leading=17), style(8)
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
        bottomMargin=18 * mm, title=title_of(report), author=report.scope_name,
        subject=f"{report.year}年度行政执法工作年度报告",
    )  # fmt: skip
    story: list[Any] = [
        Paragraph(escape(title_of(report)), heading),
        Spacer(1, 3 * mm),
        Paragraph(
            escape(
                f"统计截至 {report.as_of.isoformat()}　生成于 {local_time(report.generated_at)}"
            ),
            subtitle,
        ),
        Spacer(1, 6 * mm),
        Paragraph("一、总体情况", section),
        Spacer(1, 2 * mm),
        Paragraph(escape(_overview(report)), body),
        Spacer(1, 4 * mm),
        _coverage_chart(report, font),
        Spacer(1, 4 * mm),
        _plan_chart(report, font),
    ]
    numerals = "二三四五六七八九"
    for index, table in enumerate(tables(report)):
        story += [
            Spacer(1, 6 * mm),
            Paragraph(f"{numerals[index]}、{escape(table.title)}", section),
            Spacer(1, 2 * mm),
            _pdf_table(table, cell, document.width),
        ]

    def footer(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(_RULE)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"{title_of(report)}　第 {doc.page} 页")
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def _overview(report: AnnualReport) -> str:
    t = report.total

    def rate(value: float | None) -> str:
        return "—" if value is None else f"{percent(value)}%"

    hours = "、".join(f"{label(c)} {as_hours(t.hours[str(c)])} 学时" for c in CATEGORIES)
    return (
        f"{report.year}年度，{report.scope_name}共有 {len(report.agencies)} 个执法单位，"
        f"在岗执法人员 {t.officers_in_post} 人，持证 {t.holders} 人；参加培训 {t.trained} 人，"
        f"轮训覆盖率 {rate(t.coverage)}；学时达标 {t.compliant} 人，达标率 {rate(t.compliance)}。"
        f"共取得学时 {as_hours(t.hours[TOTAL])}（{hours}）。举办培训 {t.sessions_held} 场，"
        f"参训 {t.attendances} 人次。发证 {t.issued} 件，暂扣 {t.suspended} 件，吊销 "
        f"{t.revoked} 件，注销 {t.cancelled} 件，补发 {t.reissued} 件；年审通过 "
        f"{t.review_passed} 件、未通过 {t.review_failed} 件。收到投诉 {t.complaints_received} "
        f"件，办结 {t.complaints_resolved} 件；收到表扬 {t.praise_received} 件。"
    )


def _pdf_table(table: ReportTable, cell: ParagraphStyle, width: float) -> Table:
    number = ParagraphStyle("number", parent=cell, alignment=2)

    def shown(value: Cell) -> Paragraph:
        if value is None:
            return Paragraph("—", number)
        if isinstance(value, int | float):
            return Paragraph(str(value), number)
        return Paragraph(escape(value), cell)

    data = [[shown(h) for h in table.header]]
    data += [[shown(v) for v in row] for row in table.rows]
    data.append([shown(v) for v in table.total])
    scale = width / sum(table.widths)
    result = Table(data, colWidths=[w * scale for w in table.widths], repeatRows=1)
    result.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, _RULE),
                ("BACKGROUND", (0, 0), (-1, 0), _HEAD),
                ("BACKGROUND", (0, -1), (-1, -1), _HEAD),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return result


def _chart_title(drawing: Drawing, text: str, font: str) -> None:
    drawing.add(
        String(drawing.width / 2, drawing.height - 14, text, fontName=font, fontSize=11,
               textAnchor="middle", fillColor=_INK)
    )  # fmt: skip


def _legend(drawing: Drawing, font: str, names: list[str], y: float) -> None:
    """A swatch and a name per series, in a row centred under the chart."""
    widths = [12 + 9 * len(name) + 16 for name in names]
    x = (drawing.width - sum(widths)) / 2
    for colour, name, width in zip(_SERIES, names, widths, strict=False):
        drawing.add(Rect(x, y, 8, 8, fillColor=colour, strokeColor=None))
        drawing.add(String(x + 12, y + 1, name, fontName=font, fontSize=8, fillColor=_INK))
        x += width


def _coverage_chart(report: AnnualReport, font: str) -> KeepTogether:
    """Chart 1: each agency's coverage (轮训覆盖率) and compliance rate, in percent."""
    shown = sorted(report.agencies, key=lambda a: -a.figures.officers_in_post)[:MOST_IN_CHART]
    shown = [a for a in shown if a.figures.officers_in_post]
    title = "图1　各单位轮训覆盖率与学时达标率（%）"
    if len(report.agencies) > len(shown) and shown:
        title += f"（在岗人数最多的 {len(shown)} 个单位）"
    bar_space = 16
    height = 70 + bar_space * max(1, len(shown))
    drawing = Drawing(174 * mm, height)
    _chart_title(drawing, title, font)
    if not shown:
        drawing.add(String(drawing.width / 2, height / 2 - 10, "本年度无在岗执法人员",
                           fontName=font, fontSize=9, textAnchor="middle"))  # fmt: skip
        return KeepTogether([drawing])
    chart = HorizontalBarChart()
    chart.x, chart.y = 60 * mm, 34
    chart.width, chart.height = drawing.width - chart.x - 10, bar_space * len(shown)
    ordered = list(reversed(shown))  # the chart draws from the bottom up
    chart.data = [
        [percent(a.figures.coverage) or 0 for a in ordered],
        [percent(a.figures.compliance) or 0 for a in ordered],
    ]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.categoryAxis.categoryNames = [_short(a.agency_name) for a in ordered]
    _styled(drawing, chart, font, 7)
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.barSpacing, chart.groupSpacing = 1, 4
    _legend(drawing, font, ["轮训覆盖率", "学时达标率"], 8)
    return KeepTogether([drawing])


def _styled(
    drawing: Drawing, chart: HorizontalBarChart | VerticalBarChart, font: str, size: float
) -> None:
    """The axes' labels in the CJK font, the series in their colours; added to the drawing."""
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName, axis.labels.fontSize = font, size
    for index, colour in enumerate(_SERIES):
        chart.bars[index].fillColor = colour
        chart.bars[index].strokeColor = None
    drawing.add(chart)


def _short(name: str, most: int = 18) -> str:
    return name if len(name) <= most else name[: most - 1] + "…"


def _plan_chart(report: AnnualReport, font: str) -> KeepTogether:
    """Chart 2: planned against held hours of training, per category, in total."""
    drawing = Drawing(174 * mm, 72 * mm)
    _chart_title(drawing, "图2　各类别培训计划学时与实际举办学时", font)
    chart = VerticalBarChart()
    chart.x, chart.y = 20 * mm, 16 * mm
    chart.width, chart.height = drawing.width - 30 * mm, drawing.height - 30 * mm
    plan = report.total.plan
    chart.data = [
        [as_hours(plan[c].planned_tenths) for c in CATEGORIES],
        [as_hours(plan[c].held_tenths) for c in CATEGORIES],
    ]
    top = max([1.0, *chart.data[0], *chart.data[1]])
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, top * 1.15
    chart.categoryAxis.categoryNames = [label(c) for c in CATEGORIES]
    _styled(drawing, chart, font, 8)
    chart.barLabelFormat = "%.1f"
    chart.barLabels.fontName, chart.barLabels.fontSize = font, 7
    chart.barLabels.nudge = 6
    _legend(drawing, font, ["计划学时", "实际举办学时"], 6)
    return KeepTogether([drawing])
