"""Extension points so apps can add sections to core pages without kendra importing them.

An app registers in its AppConfig.ready():

    from kendra import panels
    panels.resident_panels.register("groups/_resident_attendance.html", attendance_panel, order=10)

A panel function takes (request, resident) — or (request,) for home panels — and returns
a context dict for its template, or None to show nothing. Each panel must fetch through
the access helpers (kendra/access.py, or its app's access.py) and must check the viewer's
rights itself (a resident page is seen by
counselors and centre admins; a home page by everyone signed in).
"""

from dataclasses import dataclass, field


@dataclass(order=True)
class Panel:
    order: int
    template: str = field(compare=False)
    func: object = field(compare=False)


class PanelRegistry:
    def __init__(self):
        self._panels = []

    def register(self, template, func, order=50):
        self._panels.append(Panel(order, template, func))
        self._panels.sort()

    def render_list(self, *args):
        """[(template, context)] for the panels that have something to show."""
        shown = []
        for panel in self._panels:
            context = panel.func(*args)
            if context is not None:
                shown.append((panel.template, context))
        return shown


resident_panels = PanelRegistry()  # func(request, resident) on the resident page
home_panels = PanelRegistry()  # func(request) on the home page
