"""Django's email API (password reset, notifications) writes into the outbox."""

import hashlib

from django.core.mail.backends.base import BaseEmailBackend

from .services import queue_email


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        count = 0
        for email in email_messages:
            html = next((content for content, mimetype in getattr(email, "alternatives", [])
                         if mimetype == "text/html"), "")
            for recipient in email.recipients():
                digest = hashlib.sha256(
                    f"{recipient}|{email.subject}|{email.body}|{email.extra_headers}".encode()).hexdigest()
                queue_email(to=recipient, subject=email.subject, body=email.body, html_body=html,
                            key=f"mail:{email.extra_headers.get('Message-ID') or digest}", source="django-mail")
                count += 1
        return count
