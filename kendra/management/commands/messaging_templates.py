"""Print every message template in the form the DLT platform (and Meta) registers it.

    manage.py messaging_templates [--centre ID]

One block per message kind and language: the text with its {#var#} / {#url#} places, its
length in characters, the WhatsApp template name, and the DLT template id Kendra has for
it ("not set" until SMS_DLT_TEMPLATE_IDS has it). A centre registers them as printed.
"""

from django.core.management.base import BaseCommand

from kendra.notify import templates


def lines(centre_id=None):
    entity, sender, ids = templates.dlt_config(centre_id)
    yield f"entity id: {entity or 'not set'}"
    yield f"sender header: {sender or 'not set'}"
    for kind, template in templates.REGISTRY.items():
        for language in templates.LANGUAGES:
            text = templates.registered_form(kind, language)
            yield ""
            yield f"[{kind}] language: {language}"
            yield f"  DLT template id: {ids.get(f'{kind}.{language}') or 'not set'}"
            yield f"  WhatsApp template: {templates.whatsapp_name(kind)} ({language})"
            yield f"  variables: {', '.join(name for name, _s in template.variables)}"
            yield f"  characters: {len(text)}"
            yield f"  text: {text}"
            yield f"  WhatsApp text: {templates.whatsapp_form(kind, language)}"


class Command(BaseCommand):
    help = "Print every message template of every kind in DLT form, to register them."

    def add_arguments(self, parser):
        parser.add_argument("--centre", type=int, help="a centre registered separately")

    def handle(self, *args, centre=None, **options):
        for line in lines(centre):
            self.stdout.write(line)
