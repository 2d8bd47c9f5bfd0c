import importlib
import random

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from kendra import demo


class Command(BaseCommand):
    help = "Load a realistic demo: two centres, ~40 residents, one login per role."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")
        parser.add_argument(
            "--once", action="store_true", help="Do nothing if the demo is already loaded."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (reproducible).")

    def handle(self, *args, force=False, once=False, seed=2026, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production. seed_demo adds demo logins with a "
                "published password; use --force if you really mean it."
            )
        loaded = get_user_model().objects.filter(username="counselor").exists()
        if loaded and once:
            self.stdout.write("Demo data is already loaded.")
        elif loaded:
            raise CommandError("Demo data is already loaded (user 'counselor' exists).")
        else:
            ctx = demo.DemoContext(rng=random.Random(seed), today=timezone.localdate())
            with transaction.atomic():
                demo.seed(ctx)
                for config in apps.get_app_configs():
                    if config.name == "kendra":
                        continue
                    try:
                        module = importlib.import_module(f"{config.name}.demo")
                    except ModuleNotFoundError as exc:
                        if exc.name != f"{config.name}.demo":
                            raise
                        continue
                    module.seed(ctx)
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"\nDemo logins (password for all: {demo.DEMO_PASSWORD}):")
        for username, role, *_ in demo.DEMO_LOGINS:
            self.stdout.write(f"  {username:<12} {role.label}")
