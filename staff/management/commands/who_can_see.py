from django.core.management.base import BaseCommand

from staff import who_sees


class Command(BaseCommand):
    help = "Print the README's 'Who can see what' table, made from kendra/access.py."

    def handle(self, *args, **options):
        self.stdout.write(f"{who_sees.START}\n{who_sees.table()}\n{who_sees.END}")
