"""Sending one event to one `[[alerts]]` target: a webhook (the event's JSON, signed), a Slack incoming
webhook (its summary as a message), an email (the summary, the event attached as event.json).

Every attempt is bounded by the target's `timeout`, and fails with a `DeliveryError` whose message is
safe to log: the secrets a target reads from the environment (the URL of `url_env`, the signing secret,
the SMTP password) are read for the attempt, never kept in messages, and blanked out of any error text
a library or a server puts them in.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import smtplib
import ssl
import urllib.error
import urllib.request
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any, Protocol

from core import VERSION
from core.config import AlertTarget

SIGNATURE_HEADER = "X-Newsvault-Signature-256"
EVENT_HEADER = "X-Newsvault-Event"
EVENT_ID_HEADER = "X-Newsvault-Event-Id"
USER_AGENT = f"newsvault/{VERSION} (alerts)"
_ERROR_TEXT_LIMIT = 300


class DeliveryError(Exception):
    """One attempt failed; the message names the target and the cause, never a secret."""


def sign(body: bytes, secret: str) -> str:
    """The signature header's value: ``sha256=`` and the hex HMAC-SHA256 of the body under the secret
    (as GitHub signs its webhooks, so receivers' existing checks apply)."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


class Sender(Protocol):
    target: AlertTarget

    def send(self, event: dict[str, Any], body: str) -> None:
        """Deliver the event whose JSON is `body`; DeliveryError when it did not arrive."""
        ...


class _Secrets:
    """The target's secrets, read from the environment for one attempt, and the redaction of them."""

    def __init__(self, target: AlertTarget, env: Mapping[str, str]) -> None:
        self.target = target
        self.env = env
        self.read: list[str] = []

    def get(self, name: str | None, what: str) -> str | None:
        if name is None:
            return None
        value = self.env.get(name, "")
        if not value:
            raise DeliveryError(f"{self.target.name}: the environment variable {name} ({what}) is not set")
        self.read.append(value)
        return value

    def error(self, message: str) -> DeliveryError:
        text = redact(message, self.read)
        if len(text) > _ERROR_TEXT_LIMIT:
            text = text[:_ERROR_TEXT_LIMIT] + "..."
        return DeliveryError(f"{self.target.name}: {text}")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # urllib would follow a redirect of a POST as a GET without the body: a receiver that moved is
    # an error to fix in the config, not a silent loss
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects())


def _post(secrets: _Secrets, url: str, payload: bytes, headers: dict[str, str], timeout: float) -> None:
    request = urllib.request.Request(url, data=payload, method="POST",
                                     headers={"User-Agent": USER_AGENT, "Content-Type": "application/json",
                                              **headers})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            response.read(65536)
    except urllib.error.HTTPError as exc:
        detail = exc.read(200).decode("utf-8", "replace").strip() if exc.fp is not None else ""
        raise secrets.error(f"HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")) from None
    except urllib.error.URLError as exc:
        raise secrets.error(f"cannot reach the receiver: {exc.reason}") from None
    except TimeoutError:
        raise secrets.error(f"no answer within {timeout:g}s") from None
    except OSError as exc:
        raise secrets.error(f"cannot post: {exc}") from None
    except Exception as exc:  # http.client's and urllib's others; their text may quote
        # the URL in pieces (a password in it, cut at the '@'), which redaction cannot find: the kind only
        raise secrets.error(f"cannot post ({type(exc).__name__}; check the URL in the environment)") from None


class WebhookSender:
    """POSTs the event's JSON as it is, with the signature header when the target has a secret_env."""

    def __init__(self, target: AlertTarget, env: Mapping[str, str]) -> None:
        self.target = target
        self.env = env

    def send(self, event: dict[str, Any], body: str) -> None:
        secrets = _Secrets(self.target, self.env)
        url = secrets.get(self.target.url_env, "the webhook's URL") or self.target.url or ""
        payload = body.encode("utf-8")
        headers = {EVENT_HEADER: event["type"], EVENT_ID_HEADER: event["id"]}
        secret = secrets.get(self.target.secret_env, "the signing secret")
        if secret is not None:
            headers[SIGNATURE_HEADER] = sign(payload, secret)
        _post(secrets, url, payload, headers, self.target.timeout)


def slack_text(event: dict[str, Any]) -> str:
    """The Slack message: the summary, then where to look."""
    lines = [f"*newsvault* {event['type']}: {event['summary']}"]
    data = event.get("data") or {}
    if isinstance(data.get("manifest"), dict):
        lines.append(f"manifest: {data['manifest']['uri']}")
    lines.append(f"event {event['id']} from {event['host']}")
    return "\n".join(lines)


class SlackSender:
    """A Slack incoming webhook takes a message, not our JSON: the summary goes as its text."""

    def __init__(self, target: AlertTarget, env: Mapping[str, str]) -> None:
        self.target = target
        self.env = env

    def send(self, event: dict[str, Any], body: str) -> None:
        secrets = _Secrets(self.target, self.env)
        url = secrets.get(self.target.url_env, "the Slack webhook URL") or ""
        payload = json.dumps({"text": slack_text(event)}, ensure_ascii=False).encode("utf-8")
        _post(secrets, url, payload, {}, self.target.timeout)


def email_message(target: AlertTarget, event: dict[str, Any], body: str) -> EmailMessage:
    message = EmailMessage()
    subject = " ".join(f"[newsvault] {event['summary']}".split())  # a header holds no line break
    message["Subject"] = subject if len(subject) <= 160 else subject[:157] + "..."
    message["From"] = target.sender or ""
    message["To"] = ", ".join(target.to)
    message[EVENT_HEADER] = event["type"]
    message[EVENT_ID_HEADER] = event["id"]
    message.set_content(f"{event['summary']}\n\n{slack_text(event).split(chr(10), 1)[-1]}\n\n"
                        "The event is attached as event.json (its JSON Schema: `newsvault alerts schema`).\n")
    message.add_attachment(body.encode("utf-8"), maintype="application", subtype="json", filename="event.json")
    return message


class EmailSender:
    """One message per event over SMTP: STARTTLS (default), implicit TLS, or none (a local relay)."""

    def __init__(self, target: AlertTarget, env: Mapping[str, str]) -> None:
        self.target = target
        self.env = env

    def send(self, event: dict[str, Any], body: str) -> None:
        secrets = _Secrets(self.target, self.env)
        password = secrets.get(self.target.password_env, "the SMTP password")
        target = self.target
        host, port, timeout = target.host or "", target.port or 0, target.timeout
        try:
            context = ssl.create_default_context()
            smtp = (smtplib.SMTP_SSL(host, port, timeout=timeout, context=context) if target.tls == "ssl"
                    else smtplib.SMTP(host, port, timeout=timeout))
            with smtp:
                if target.tls == "starttls":
                    smtp.starttls(context=context)
                if password is not None:
                    smtp.login(target.username or target.sender or "", password)
                smtp.send_message(email_message(target, event, body))
        except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
            raise secrets.error(f"SMTP {host}:{port}: {exc}") from None
        except Exception as exc:  # a bad address or header: this target's error, not the run's
            raise secrets.error(f"SMTP {host}:{port}: cannot send ({type(exc).__name__}: {exc})") from None


SENDERS: dict[str, type[WebhookSender] | type[SlackSender] | type[EmailSender]] = {
    "webhook": WebhookSender,
    "slack": SlackSender,
    "email": EmailSender,
}


def sender_for(target: AlertTarget, env: Mapping[str, str] | None = None) -> Sender:
    """The sender of a target's kind; secrets are read from `env` (the process's environment)."""
    return SENDERS[target.kind](target, os.environ if env is None else env)
