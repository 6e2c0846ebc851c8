"""Platform tools in the studio, for platform superusers only: the background tasks' results
(django-tasks-db) and the sign-in attempts django-axes records.

Their apps register them on Django's default `admin.site`, which is not mounted: Rapport's admin
is `rapport.studio.studio_site`. Their pages keep Django's own permission checks, which only
superusers pass (no designer or organisation admin holds Django model permissions).
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from rapport.studio import studio_site

studio_site.register(DBTaskResult, DBTaskResultAdmin)
studio_site.register(AccessAttempt, AccessAttemptAdmin)
studio_site.register(AccessLog, AccessLogAdmin)
studio_site.register(AccessFailureLog, AccessFailureLogAdmin)
