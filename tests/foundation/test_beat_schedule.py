"""The Celery beat schedule keeps every periodic job (settings are assembled from several blocks)."""


def test_beat_runs_the_draft_purge_and_the_trials_inbox(settings):
    # given the settings, then both periodic jobs are scheduled (one block once replaced the other)
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "onconav.foundation.tasks.purge_abandoned_drafts" in tasks
    assert "onconav.trials.tasks.import_trials_inbox" in tasks
