"""Charts of figures over time (an answer's series), drawn as PNG images for Slack and the console.

matplotlib is imported only when a chart is drawn: most answers have none, and start-up stays fast.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path
from typing import Any

from facts.answer import Answer, Series
from facts.wording import format_number

CHART_INCHES = (8.0, 4.5)
CHART_DPI = 110
MAX_TITLE_CHARS = 90
_NOT_FILENAME = re.compile(r"[^\w]+")


def chart_path(answer: Answer, folder: Path | None = None) -> Path:
    """Where a chart of ``answer`` is written: a file named for it in ``folder`` (default: a new
    temporary folder)."""
    name = _NOT_FILENAME.sub("-", (answer.title or answer.series[0].label).lower()).strip("-") or "chart"
    return (folder or Path(tempfile.mkdtemp(prefix="showfacts-chart-"))) / f"{name}.png"


def draw_chart(answer: Answer, path: Path) -> Path:
    """Draw ``answer``'s series as a line chart into the PNG file ``path`` and return ``path``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    figure = Figure(figsize=CHART_INCHES, dpi=CHART_DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for series in answer.series:
        axes.plot(_dates(series), [point.value for point in series.points], marker="o", label=series.label)
    axes.set_ylabel(answer.series[0].unit)
    axes.set_xlabel("week")
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _position: format_number(value)))
    axes.set_ylim(bottom=0)
    axes.grid(True, alpha=0.3)
    axes.set_title(_title(answer), fontsize=11)
    if len(answer.series) > 1:
        axes.legend(fontsize=8)
    figure.autofmt_xdate()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png")
    return path


def _dates(series: Series) -> list[Any]:
    # Weekly figures carry ISO dates; any other label is drawn as it is, in order.
    try:
        return [dt.date.fromisoformat(point.when) for point in series.points]
    except ValueError:
        return [point.when for point in series.points]


def _title(answer: Answer) -> str:
    labels = ", ".join(series.label for series in answer.series)
    title = f"{labels}: {answer.series[0].unit}, week by week"
    return title if len(title) <= MAX_TITLE_CHARS else title[: MAX_TITLE_CHARS - 1] + "\u2026"
