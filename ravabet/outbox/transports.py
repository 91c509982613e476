"""Where outbox messages actually go. A transport raises TransientError to be retried
later and PermanentError to stop trying; anything else counts as transient."""

import json
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.utils.module_loading import import_string


class TransientError(Exception):
    pass


class PermanentError(Exception):
    pass


class ConsoleTransport:
    """Development transport: appends each message to var/outbox.log."""

    def send(self, message) -> str:
        path = settings.OUTBOX["CONSOLE_LOG"]
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"--- {datetime.now().isoformat(timespec='seconds')} {message.channel} "
                      f"to {message.recipient} [{message.idempotency_key}]\n")
            if message.subject:
                log.write(f"Subject: {message.subject}\n")
            log.write(message.body + "\n")
        return f"console-{message.pk}"


class SmtpTransport:
    def send(self, message) -> str:
        connection = mailers["smtp"]
        email = EmailMultiAlternatives(message.subject, message.body, settings.DEFAULT_FROM_EMAIL,
                                       [message.recipient], connection=connection,
                                       headers={"Message-ID": f"<{message.idempotency_key}@ravabet>"})
        if message.html_body:
            email.attach_alternative(message.html_body, "text/html")
        try:
            email.send()
        except OSError as error:
            raise TransientError(str(error)) from error
        return ""


class KavenegarTransport:
    """Kavenegar (kavenegar.com) SMS over its HTTP API.

    `localid` carries the outbox id: Kavenegar refuses to send a second message with the
    same localid and returns the first one's details, so a retry after a lost answer
    never reaches the phone twice.
    """

    def send(self, message) -> str:
        config = settings.OUTBOX
        if not config["KAVENEGAR_API_KEY"]:
            raise PermanentError("KAVENEGAR_API_KEY is not set")
        url = f"{config['KAVENEGAR_URL']}/{config['KAVENEGAR_API_KEY']}/sms/send.json"
        data = urllib.parse.urlencode({
            "receptor": message.recipient,
            "sender": config["KAVENEGAR_SENDER"],
            "message": message.body,
            "localid": str(message.pk),
        }).encode()
        try:
            with urllib.request.urlopen(url, data=data, timeout=15) as response:
                payload = json.load(response)
        except urllib.error.HTTPError as error:
            # 4xx answers (bad number, bad key, blocked text) will not get better by retrying,
            # except 418 (no credit) and 429 (rate limit).
            if 400 <= error.code < 500 and error.code not in (418, 429):
                raise PermanentError(f"HTTP {error.code}") from error
            raise TransientError(f"HTTP {error.code}") from error
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            raise TransientError(str(error)) from error
        status = payload.get("return", {}).get("status")
        if status != 200:
            raise TransientError(f"status {status}: {payload.get('return', {}).get('message', '')}")
        entries = payload.get("entries") or [{}]
        return str(entries[0].get("messageid", ""))

    def delivery_statuses(self, message_ids: list[str]) -> dict[str, int]:
        """Delivery reports from Kavenegar's status API (sms/status.json) for the provider's message ids
        (at most 500 a call): {messageid: Kavenegar status code} — 10 delivered to the phone, 11 not
        delivered, 6/13/14/100 failed, cancelled, blocked or unknown, 1/2/4/5 still on the way. Ids the
        answer leaves out are missing from the result. Raises TransientError when the API cannot answer."""
        config = settings.OUTBOX
        if not config["KAVENEGAR_API_KEY"]:
            raise PermanentError("KAVENEGAR_API_KEY is not set")
        url = f"{config['KAVENEGAR_URL']}/{config['KAVENEGAR_API_KEY']}/sms/status.json"
        data = urllib.parse.urlencode({"messageid": ",".join(message_ids)}).encode()
        try:
            with urllib.request.urlopen(url, data=data, timeout=15) as response:
                payload = json.load(response)
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            raise TransientError(str(error)) from error
        if payload.get("return", {}).get("status") != 200:
            raise TransientError(f"status {payload.get('return', {}).get('status')}")
        return {str(entry["messageid"]): int(entry["status"]) for entry in payload.get("entries") or []
                if "messageid" in entry and "status" in entry}


TRANSPORTS = {
    "console": "ravabet.outbox.transports.ConsoleTransport",
    "smtp": "ravabet.outbox.transports.SmtpTransport",
    "kavenegar": "ravabet.outbox.transports.KavenegarTransport",
}


def transport_for(channel: str):
    name = settings.OUTBOX["SMS_TRANSPORT" if channel == "sms" else "EMAIL_TRANSPORT"]
    return import_string(TRANSPORTS.get(name, name))()
