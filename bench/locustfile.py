"""One page under load: 16 signed-in users (the cookie of a real sign-in, made by run.py)
requesting it back to back. run.py runs this once per page, the floor included.

BENCH_TARGET (JSON): name, method, path, cookie, csrf, data.
"""

import json
import os

from locust import FastHttpUser, constant, task

TARGET = json.loads(os.environ.get("BENCH_TARGET", "{}"))


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

    @task
    def page(self):
        expect = TARGET.get("expect", 200)
        with self.client.request(
            TARGET.get("method", "GET"),
            TARGET["path"],
            name=TARGET["name"],
            headers=self.headers,
            data=TARGET.get("data"),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != expect:
                response.failure(f"status {response.status_code}, expected {expect}")
