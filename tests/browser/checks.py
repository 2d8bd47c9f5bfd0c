"""What every page must pass in a real browser: axe-core, no sideways scroll, big tap targets, weight."""

import gzip

from axe_playwright_python.sync_playwright import Axe

AXE = Axe()
BLOCKING = {"serious", "critical"}
MIN_TARGET = 44  # px, WCAG 2.5.5
MAX_PAGE_BYTES = 300 * 1024
COMPRESSIBLE = ("text/", "javascript", "json", "svg", "xml")


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
() => {
  const min = %d;
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
""" % MIN_TARGET


def small_targets(page):
    return page.evaluate(SMALL_TARGETS_JS)


def record_weight(page):
    """Start counting what the page downloads; returns a function giving the bytes so far.

    Text is counted gzip-compressed, as whitenoise (static) and the web server (pages) send it;
    images as they are.
    """
    sizes = {}

    def on_response(response):
        try:
            body = response.body()
        except Exception:  # redirects have no body
            return
        kind = response.headers.get("content-type", "")
        if any(part in kind for part in COMPRESSIBLE):
            body = gzip.compress(body, compresslevel=6)
        sizes[response.url] = len(body)

    page.on("response", on_response)
    return lambda: (sum(sizes.values()), dict(sizes))
