import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kendra.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, the URL conf) lives as long as the worker:
# move it out of the collector's sight, so a full collection during a request scans only
# what requests allocate, not the whole framework (measured: a few ms per page).
gc.freeze()
