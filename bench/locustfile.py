"""One page under load: 16 signed-in users (the cookie of a real sign-in, made by run.py)
requesting it back to back. run.py runs this once per page, the floor included.

BENCH_TARGET (JSON): name, method, path, cookie, csrf, data. If data is {"_spread": [[path,
form], …]}, each user takes the next pair, and the field its form names in "_vary" gets a
new value in every request (a save that always changes something).
"""

import itertools
import json
import os

from locust import FastHttpUser, constant, task

TARGET = json.loads(os.environ.get("BENCH_TARGET", "{}"))
USERS = itertools.count()


class PageUser(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        host = self.host.split("://", 1)[-1]
        # Production settings: secure cookies, HTTPS behind a proxy. Say we came via one.
        self.headers = {
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{host}/",
            "Origin": f"https://{host}",
        }
        if TARGET.get("cookie"):
            self.headers["Cookie"] = TARGET["cookie"]
        if TARGET.get("csrf"):
            self.headers["X-CSRFToken"] = TARGET["csrf"]
        self.path, self.data = TARGET["path"], TARGET.get("data")
        spread = (self.data or {}).get("_spread")
        if spread:
            self.path, form = spread[next(USERS) % len(spread)]
            self.data = dict(form)
        self.vary = self.data.pop("_vary", None) if self.data else None
        self.count = itertools.count()

    def payload(self):
        if self.vary:
            self.data[self.vary] = f"Bench note {id(self)} {next(self.count)}"
        return self.data or None

    @task
    def page(self):
        expect = TARGET.get("expect", 200)
        with self.client.request(
            TARGET.get("method", "GET"),
            self.path,
            name=TARGET["name"],
            headers=self.headers,
            data=self.payload(),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != expect:
                response.failure(f"status {response.status_code}, expected {expect}")
