"""The complaint statistics chart of the units (各机构受理数与办结数): its legend sits below its title and never
overlaps it (issue 10; the fix is in d6a6f4b). ECharts draws on a canvas, so the boxes are read from the chart's
own title and legend component views (their groups' bounding rectangles, in the chart's pixel coordinates)."""
import pytest

from wealthdesk.core.testing.browser import login
from wealthdesk.core.testing.world import PASSWORD

BOXES = """(el) => {
    const chart = echarts.getInstanceByDom(el);
    const box = (type) => {
        const view = chart._componentsViews.find(v => v.__model && v.__model.mainType === type);
        const rect = view.group.getBoundingRect().clone();
        rect.applyTransform(view.group.getLocalTransform());
        return {x: rect.x, y: rect.y, width: rect.width, height: rect.height};
    };
    return {title: box('title'), legend: box('legend')};
}"""


def _overlap(a, b) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 768])
def test_the_units_chart_legend_does_not_overlap_its_title(page, world, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "branch1_service", PASSWORD)
    page.goto("/complaints/stats/monthly/")
    el = page.locator("[data-chart=chart-units]")
    el.wait_for()
    page.wait_for_function("el => echarts.getInstanceByDom(el)", arg=el.element_handle())
    boxes = el.evaluate(BOXES)
    title, legend = boxes["title"], boxes["legend"]
    assert title["height"] > 0 and legend["height"] > 0, boxes
    assert not _overlap(title, legend), boxes  # before d6a6f4b the centred legend at top 20 ran over the title
