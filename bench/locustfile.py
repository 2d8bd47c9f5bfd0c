"""The load of the bench, two kinds (run.py runs them, naming the user class):

- PageUser: one page, 16 users requesting it back to back, each signed in as a different
  person. BENCH_TARGET (JSON): name, method, expect and users: [{cookie, csrf, path, data,
  vary}] (run.py signed them in): the i-th virtual user takes the i-th. If vary names a
  field, it gets a new value in every request (a save that always changes something).
- The mixed run (bench/mix.py): one user class per role, weighted like a morning; each
  user takes the next person of its role from BENCH_MIX (JSON: {role: [{cookie, csrf,
  paths…}]}) and follows the role's journey again and again.
"""

import itertools
import json
import os
import sys
from pathlib import Path

from locust import FastHttpUser, constant, task

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser import first_note, form_of  # noqa: E402
from bench.mix import ANSWER, JOURNEYS, class_name, steps  # noqa: E402

TARGET = json.loads(os.environ.get("BENCH_TARGET", "{}"))
MIX = json.loads(os.environ.get("BENCH_MIX", "{}"))
USERS = itertools.count()
TURNS = {role: itertools.count() for role in JOURNEYS}


class Signed(FastHttpUser):
    abstract = True
    wait_time = constant(0)

    def sign(self, person):
        host = self.host.split("://", 1)[-1]
        # Production settings: secure cookies, HTTPS behind a proxy. Say we came via one.
        self.headers = {
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{host}/",
            "Origin": f"https://{host}",
        }
        if person.get("cookie"):
            self.headers["Cookie"] = person["cookie"]
        if person.get("csrf"):
            self.headers["X-CSRFToken"] = person["csrf"]
        self.count = itertools.count()

    def call(self, name, method, path, data, expect):
        with self.client.request(
            method,
            path,
            name=name,
            headers=self.headers,
            data=data,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != expect:
                response.failure(f"status {response.status_code}, expected {expect}")
            return response

    def note(self):
        return f"Bench note {id(self)} {next(self.count)}"


class PageUser(Signed):
    def on_start(self):
        person = TARGET["users"][next(USERS) % len(TARGET["users"])]
        self.sign(person)
        self.path, self.data = person["path"], dict(person["data"] or {}) or None
        self.vary = person.get("vary")

    @task
    def page(self):
        if self.vary:
            self.data[self.vary] = self.note()
        self.call(TARGET["name"], TARGET["method"], self.path, self.data, TARGET["expect"])


class Journey(Signed):
    abstract = True
    role = ""

    def on_start(self):
        people = MIX[self.role]
        self.person = people[next(TURNS[self.role]) % len(people)]
        self.sign(self.person)

    @task
    def turn(self):
        for name, method, path, kind, expect in steps(self.role, self.person):
            data = None
            if kind == "answer":
                data = ANSWER
            elif kind == "save":
                page = self.call("session_log", "GET", path, None, 200)
                data = form_of(page.text or "", path)
                if not any(k.startswith("note-") for k in data):
                    continue  # nothing to save on this log
                data[first_note(data)] = self.note()
            self.call(name, method, path, data, expect)


def _journey(role):
    return type(class_name(role), (Journey,), {"role": role, "weight": JOURNEYS[role][0]})


CounselorUser = _journey("counselor")
ResidentUser = _journey("resident")
FamilyUser = _journey("family")
PeerLeaderUser = _journey("peer_leader")
MentorUser = _journey("mentor")
AlumniCoordinatorUser = _journey("alumni_coordinator")
