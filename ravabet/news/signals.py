"""Hooks other parts may listen to, so news never imports them.

`achievement_published` is sent by the publish steps (News.publish, News.publish_due) inside the
publishing transaction, as an achievement (B2) goes onto the public newsroom; the unit managers and
the HQ heads get their in-app notices from the step's declaration in the same transaction. B2 asks that
achievements reach "the people and officials of the region": a messaging part that keeps staff or
official groups (e.g. ravabet.messaging's StaffGroup) can connect a receiver in its AppConfig.ready():

    from ravabet.news.signals import achievement_published

    def announce(sender, news, by, **kwargs):
        ...queue_sms(..., key=f"achievement:{news.pk}:{member.pk}")  # idempotent: publish may repeat

    achievement_published.connect(announce, dispatch_uid="messaging.announce_achievement")

A receiver runs in the same transaction: what it queues in the outbox is committed with the
publication or not at all. It gets `news` (with `unit` and `published_at` set; the row is saved as
published right after the receivers return) and `by` (None for the scheduler).
"""

from django.dispatch import Signal

achievement_published = Signal()
