"""Telling a reporter by SMS that there is news. Pluggable: ``SILVERSHIELD_SMS_SENDER`` names
the class (dotted path). A message never carries the tip's content or number: only that there is
news and where to look.

- ``FileSmsSender`` (default): appends one line per message to ``SILVERSHIELD_SMS_LOG_FILE``
  (default ``var/sms.log``), the number masked; with ``SILVERSHIELD_SMS_LOG_FILE = ""`` it writes
  to the log instead.
- ``HttpGatewaySmsSender``: POSTs JSON ``{"phone", "text", "sign"}`` to
  ``SILVERSHIELD_SMS_GATEWAY_URL`` with ``Authorization: Bearer SILVERSHIELD_SMS_GATEWAY_TOKEN``;
  any 2xx answer counts as accepted.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from silvershield.core.identity import mask_phone

logger = logging.getLogger("silvershield.portal.sms")
DEFAULT_SENDER = "silvershield.portal.sms.FileSmsSender"


class SmsError(RuntimeError):
    pass


class SmsSender(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


def signature() -> str:
    return str(getattr(settings, "SILVERSHIELD_SMS_SIGNATURE", "银盾"))


def news_text() -> str:
    """The only SMS the portal sends: there is news, look it up with the receipt code."""
    url = str(getattr(settings, "SILVERSHIELD_PORTAL_PUBLIC_URL", "")).rstrip("/")
    where = f"{url}/status/" if url else "举报网站的“查看办理进度”"
    return f"【{signature()}】您反映的情况有新的回复，请用回执码登录{where}查看。"


class FileSmsSender:
    def send(self, *, phone: str, text: str) -> None:
        target = getattr(settings, "SILVERSHIELD_SMS_LOG_FILE", None)
        if target is None:
            target = Path(settings.VAR_DIR) / "sms.log"
        line = f"{timezone.localtime():%Y-%m-%d %H:%M:%S} {mask_phone(phone)} {text}"
        if not target:
            logger.info("SMS %s", line)
            return
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")


class HttpGatewaySmsSender:
    def send(self, *, phone: str, text: str) -> None:
        url = str(getattr(settings, "SILVERSHIELD_SMS_GATEWAY_URL", ""))
        if not url.startswith(("https://", "http://")):
            raise SmsError("SILVERSHIELD_SMS_GATEWAY_URL is not set to an http(s) address")
        token = str(getattr(settings, "SILVERSHIELD_SMS_GATEWAY_TOKEN", ""))
        timeout = float(getattr(settings, "SILVERSHIELD_SMS_GATEWAY_TIMEOUT", 10))
        body = json.dumps(
            {"phone": phone, "text": text, "sign": signature()}, ensure_ascii=False
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8"}
            | ({"Authorization": f"Bearer {token}"} if token else {}),
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                status = int(response.status)
        except urllib.error.HTTPError as exc:
            raise SmsError(f"SMS gateway answered {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"SMS gateway unreachable: {type(exc).__name__}") from None
        if not 200 <= status < 300:
            raise SmsError(f"SMS gateway answered {status}")


def sender() -> SmsSender:
    cls = import_string(str(getattr(settings, "SILVERSHIELD_SMS_SENDER", DEFAULT_SENDER)))
    instance: SmsSender = cls()
    return instance
