"""What every page must pass in a real browser: axe-core, no sideways scroll, big tap targets, weight."""

import gzip
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

AXE = Axe()
BLOCKING = {"serious", "critical"}
MIN_TARGET = 44  # px, WCAG 2.5.5
MAX_PAGE_BYTES = 300 * 1024


def axe_problems(page):
    """Serious or critical axe-core violations, one readable line per failing element."""
    results = AXE.run(page)
    problems = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"][:3]:
            problems.append(f"{violation['id']}: {node['target']} {node['failureSummary'][:160]}")
    return problems


def scrolls_sideways(page):
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"
    )


# Interactive elements a thumb has to hit. Links inside running text are exempt (WCAG's
# "inline" exception), and so are radios/checkboxes whose <label> is the target.
SMALL_TARGETS_JS = """
(min) => {
  const out = [];
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
  for (const el of document.querySelectorAll(sel)) {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    // A stretched link makes its whole card the target.
    const target = el.classList.contains('stretched-link') ? el.closest('.card') || el : el;
    const r = target.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;          // not rendered (collapsed menu)
    if (el.closest('.visually-hidden, .visually-hidden-focusable')) continue;
    if (el.matches('input[type=radio], input[type=checkbox]')) {
      const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
      const box = label && (label.closest('.form-check') || label);
      if (box) {
        const b = box.getBoundingClientRect();
        if (b.height >= min - 0.5) continue;
      }
      out.push(`${el.outerHTML.slice(0, 90)} (label ${box ? Math.round(box.getBoundingClientRect().height) : 'none'})`);
      continue;
    }
    if (el.tagName === 'A' && el.closest('p, li.inline, .form-text, dd, small, td .small, .alert, footer')
        && style.display === 'inline') continue;
    if (r.height < min - 0.5 || r.width < min - 0.5) {
      out.push(`${Math.round(r.width)}x${Math.round(r.height)} ${el.outerHTML.slice(0, 110)}`);
    }
  }
  return out;
}
"""


def small_targets(page):
    return page.evaluate(SMALL_TARGETS_JS, MIN_TARGET)


def _static_gzip_size(path):
    """What whitenoise sends for a static file: its gzip-compressed size (images as they are)."""
    from django.contrib.staticfiles import finders

    if path not in _STATIC_SIZES:
        found = finders.find(path.removeprefix("/static/"))
        data = Path(found).read_bytes() if found else b""
        compressible = path.endswith((".css", ".js", ".svg", ".html", ".txt", ".json"))
        _STATIC_SIZES[path] = len(gzip.compress(data, 6)) if compressible else len(data)
    return _STATIC_SIZES[path]


_STATIC_SIZES = {}

RESOURCES_JS = """
() => performance.getEntriesByType('resource').map(e => [new URL(e.name).pathname, e.decodedBodySize])
"""


def first_load_weight(page):
    """Bytes a first visit with an empty cache downloads for the page now shown.

    The browser's resource list names everything the page used, cached or not; static files
    are counted as whitenoise serves them (gzip), the page itself gzip-compressed too.
    """
    parts = {"(page)": len(gzip.compress(page.content().encode(), 6))}
    for path, size in page.evaluate(RESOURCES_JS):
        parts[path] = _static_gzip_size(path) if path.startswith("/static/") else size
    return sum(parts.values()), parts
