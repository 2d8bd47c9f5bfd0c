"""The set-up side of the load run: a browser enough to sign in and read a page's form.
Used by run.py (signing in, probing) and by locustfile.py (posting a form back)."""

from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from urllib.parse import urlsplit


class Browser:
    """Enough of a browser for the set-up: cookies by hand (they are Secure), CSRF."""

    def __init__(self, base):
        import requests

        self.base, self.session = base, requests.Session()
        host = urlsplit(base).netloc
        self.headers = {
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{host}/",
            "Origin": f"https://{host}",
        }
        self.cookies = {}

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method, path, **kwargs):
        headers = {**self.headers, "Cookie": self.cookie_header()}
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        response = self.session.request(
            method, self.base + path, headers=headers, allow_redirects=False, **kwargs
        )
        for name in ("sessionid", "csrftoken"):
            if name in response.cookies:
                self.cookies[name] = response.cookies[name]
        self.session.cookies.clear()
        return response

    def sign_in(self, username, password):
        self.request("GET", "/login/")
        answer = self.request(
            "POST",
            "/login/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
            },
        )
        if answer.status_code != 302:
            raise SystemExit(f"could not sign in as {username}: {answer.status_code}")
        return self


class FormFields(HTMLParser):
    """The values a browser would post back from the <form method=post action=…>."""

    def __init__(self, action):
        super().__init__()
        self.action = action
        self.fields, self.in_form, self.done, self.select, self.textarea = (
            [],
            False,
            False,
            None,
            None,
        )

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        post = (a.get("method") or "").lower() == "post"
        if tag == "form" and post and a.get("action") == self.action and not self.done:
            self.in_form = True
        if not self.in_form:
            return
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "file"}:
                return
            if kind in {"radio", "checkbox"} and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self.select = [a["name"], None]
        elif tag == "option" and self.select is not None:
            if self.select[1] is None or "selected" in a:
                self.select[1] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select is not None:
            self.fields.append((self.select[0], self.select[1] or ""))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True


def form_of(html, action):
    parser = FormFields(action)
    parser.feed(html)
    return dict(parser.fields)


def first_note(form):
    """The first individual note field of the session log's form."""
    return min((k for k in form if k.startswith("note-")), key=lambda k: int(k[5:]))


def sign_in_all(base, logins, password, browsers):
    """Sign in every person not signed in yet, a few at a time (the password hash is what
    a sign-in costs); browsers: {login: Browser}."""
    todo = [login for login in dict.fromkeys(logins) if login and login not in browsers]
    with ThreadPoolExecutor(4) as pool:
        done = pool.map(lambda login: Browser(base).sign_in(login, password), todo)
        browsers.update(zip(todo, done, strict=True))
    return browsers


def browser_for(person, base, browsers, method):
    if person["login"]:
        return browsers[person["login"]]
    browser = Browser(base)  # a public page: a cookie of its own, its CSRF cookie first
    if method == "POST":
        browser.request("GET", person["path"])
    return browser
