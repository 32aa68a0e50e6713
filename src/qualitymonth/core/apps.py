from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "qualitymonth.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from qualitymonth.core.models import WorkdayOverride
        from qualitymonth.core.workdays import overrides_changed

        def changed(**kwargs):
            # After commit: a rolled-back override must not be what other processes reload.
            transaction.on_commit(overrides_changed)

        post_save.connect(
            changed, sender=WorkdayOverride, dispatch_uid="workday-override-saved", weak=False
        )
        post_delete.connect(
            changed, sender=WorkdayOverride, dispatch_uid="workday-override-gone", weak=False
        )

        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in

        from qualitymonth.core import redis as fast_redis
        from qualitymonth.core.identity import (
            forget_account,
            forget_all_accounts,
            remember_account,
        )

        fast_redis.on_recovery(forget_all_accounts)

        post_save.connect(forget_account, sender=get_user_model(), dispatch_uid="forget-account")
        user_logged_in.connect(
            lambda sender, user, **kw: remember_account(user), dispatch_uid="remember", weak=False
        )
        from qualitymonth.core.sessions import session_started

        user_logged_in.connect(session_started, dispatch_uid="session-started")
