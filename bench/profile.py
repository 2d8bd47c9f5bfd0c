"""Per-request cost of the bench pages, without the load tool: where to look first.

    DATABASE_URL=postgres://…/kendra_bench .venv/bin/python bench/profile.py [page …]
        [--n 20] [--pyinstrument | --cprofile]

Django's test client in this process, production settings (DEBUG off), on the seeded
dataset: for each page (the same list as bench/run.py) one warm-up request, then --n
requests; prints ms per request (wall, CPU of this process, and CPU of its PostgreSQL
backend when the server is local: pg_cpu_ms) and SQL queries. --pyinstrument prints a
profile of the page's requests (pip install pyinstrument; PROFILE_ALL=1 shows every frame,
Django's too); --cprofile the standard library's profile instead (PROFILE_SORT=tottime
or cumulative, PROFILE_LINES=40). The test client never follows the redirect after a POST, so the messages
cookie grows over the loop (a browser reads them on the next page; locust never sends the
Secure cookie back over plain http): discount MessageMiddleware there. A POST page posts the same
data as the load run; the session-log POST saves the same roster again.
"""

import os
import secrets
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
# bench/ (sys.path[0] when run) must not shadow the standard library's profile module.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kendra.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(40))
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ["KENDRA_BENCH"] = "1"
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
# As in the load run: one address posting a check-in link many times a second would be
# refused by the token-page rate limits (kendra/ratelimits.py) and measure the refusal.
os.environ.setdefault("KENDRA_RATE_PER_TOKEN", "1000000/m")
os.environ.setdefault("KENDRA_RATE_PER_ADDRESS", "1000000/m")
os.environ.setdefault("STATIC_ROOT", os.path.join(tempfile.gettempdir(), "kendra-profile-static"))
if "bench" not in os.environ.get("DATABASE_URL", ""):
    os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/kendra_bench"


FORM = "application/x-www-form-urlencoded"


def postgres_cpu():
    """CPU seconds of this process's PostgreSQL backend so far (planning and running its
    statements), or None when it cannot be read (a server on another machine)."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except Exception:  # noqa: BLE001 - not PostgreSQL, not local: the figure is left out
        return None


def main(argv):
    n, profile, only = 20, False, []
    args = iter(argv)
    for arg in args:
        if arg == "--n":
            n = int(next(args))
        elif arg == "--pyinstrument":
            profile = True
        elif arg == "--cprofile":
            profile = "cprofile"
        else:
            only.append(arg)

    import subprocess

    import django

    django.setup()
    from bench.browser import first_note, form_of
    from bench.targets import find_pages

    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True
    )
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = get_user_model().objects
    for page in find_pages(1):  # the first virtual user of each page
        name, method, expect = page["name"], page["method"], page["expect"]
        login, path, data = (page["users"][0][k] for k in ("login", "path", "data"))
        if only and name not in only:
            continue
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        if login:
            client.force_login(
                users.get(username=login), backend="kendra.backends.MembershipBackend"
            )
        vary = None
        if data in ("form", "vary"):  # the page's own form; "vary": one note new each time
            data = form_of(client.get(path, secure=True).content.decode(), path)
            if page["users"][0]["data"] == "vary" and any(k.startswith("note-") for k in data):
                vary = first_note(data)

        def call(client=client, method=method, path=path, data=data, vary=vary):
            if vary:
                data = {**data, vary: f"Profile note {time.time_ns()}"}
            if method == "POST":  # form-encoded, as a browser and the load tool send it
                return client.post(path, urlencode(data), FORM, secure=True)
            return client.get(path, secure=True)

        first = call()
        if first.status_code != expect:
            print(f"page={name} status={first.status_code} expected={expect}")
            continue
        profiler = None
        if profile == "cprofile":
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        elif profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
        pg = postgres_cpu()
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            call()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        pg_after = postgres_cpu()  # the same backend: the test client keeps its connection
        pg_ms = f" pg_cpu_ms={1000 * (pg_after - pg) / n:.1f}" if None not in (pg, pg_after) else ""
        print(
            f"page={name} ms={1000 * wall / n:.1f} cpu_ms={1000 * cpu / n:.1f}{pg_ms} "
            f"queries={first['X-Kendra-Queries']} bytes={len(first.content)}",
            flush=True,
        )
        if profile == "cprofile":
            import pstats

            profiler.disable()
            stats = pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "tottime"))
            stats.print_stats(int(os.environ.get("PROFILE_LINES", "40")))
        elif profiler:
            profiler.stop()
            print(
                profiler.output_text(
                    unicode=True, color=False, show_all=os.environ.get("PROFILE_ALL") == "1"
                )
            )


if __name__ == "__main__":
    main(sys.argv[1:])
