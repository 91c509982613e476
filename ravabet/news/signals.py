"""Hooks other parts may listen to, so news never imports them.

`achievement_published` is sent inside the publishing transaction once an achievement (B2) is on the
public newsroom, after the unit manager and the HQ head have had their in-app notices. B2 asks that
achievements reach "the people and officials of the region": a messaging part that keeps staff or
official groups (e.g. ravabet.messaging's StaffGroup) can connect a receiver in its AppConfig.ready():

    from ravabet.news.signals import achievement_published

    def announce(sender, news, by, **kwargs):
        ...queue_sms(..., key=f"achievement:{news.pk}:{member.pk}")  # idempotent: publish may repeat

    achievement_published.connect(announce, dispatch_uid="messaging.announce_achievement")

A receiver runs in the same transaction: what it queues in the outbox is committed with the
publication or not at all. It gets `news` (published, with `unit`) and `by` (None for the scheduler).
"""

from django.dispatch import Signal

achievement_published = Signal()
