"""Text messages (SMS), through the backend that SMS_BACKEND names, as Django does for mail.

- `ConsoleBackend` (the default) prints each message: a developer sees what would be sent.
- `HttpBackend` sends it to an HTTP gateway of a Moroccan operator or aggregator; its address,
  credentials and parameter names are settings (`SMS_GATEWAY_*`, documented in .env.example),
  since every gateway names them its own way.
- `NoGateway` (the default when DEBUG is off and no gateway is named) sends nothing: nobody is
  offered SMS (chamber.models.User.channels) and codes cannot be sent.
- `MemoryBackend` keeps messages in `chamber.sms.outbox`, for tests.

An SMS is one segment of 160 characters in the GSM alphabet, or of 70 in UCS-2 (Arabic, and any
character outside that alphabet); longer texts cost several segments of 153 or 67. `segments`
counts them, so that templates can be written to fit one.
"""

import base64
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

# The GSM 03.38 default alphabet, and the characters of its extension table (which count 2).
GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = "^{}\\[~]|€\f"


@dataclass(frozen=True)
class Sms:
    to: str  # E.164
    text: str
    reference: str = ""  # the same for every try of one message: the gateway may drop repeats


class SmsError(Exception):
    """The gateway refused or could not be reached; the outbox tries again later."""


# Typography the portal's French uses but the GSM alphabet lacks: one of them would make the
# whole message UCS-2, and its 160 characters 70.
PLAIN = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "«": '"',
        "»": '"',
        "\u00a0": " ",
        "\u202f": " ",
        "…": "...",
        "–": "-",
        "—": "-",
        "œ": "oe",
        "Œ": "OE",
        "ê": "e",
        "â": "a",
        "î": "i",
        "ô": "o",
        "û": "u",
        "ç": "c",
        "ë": "e",
        "ï": "i",
        # the isolates that keep a Latin token in place in Arabic text (U+2066…U+2069): a
        # basic phone may show them as boxes, and an SMS's digits keep their order without
        "\u2066": None,
        "\u2067": None,
        "\u2068": None,
        "\u2069": None,
    }
)


def plain(text: str) -> str:
    """`text` with the French typography the GSM alphabet lacks written plainly (’ as ', «»
    as ", ê as e…): a French SMS keeps its 160 characters. Arabic keeps its letters, without
    the invisible isolates."""
    return text.translate(PLAIN)


def is_gsm(text: str) -> bool:
    return all(char in GSM_BASIC or char in GSM_EXTENDED for char in text)


def segments(text: str) -> int:
    """How many SMS segments `text` takes."""
    if is_gsm(text):
        length = sum(2 if char in GSM_EXTENDED else 1 for char in text)
        single, part = 160, 153
    else:
        # UCS-2 counts UTF-16 code units: a character beyond the basic plane counts two
        length = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
    if length <= single:
        return 1
    return -(-length // part)


class BaseBackend:
    def send(self, message: Sms) -> None:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Prints each message on standard output (the `make run` default)."""

    stream = None

    def send(self, message: Sms) -> None:
        stream = self.stream or sys.stdout
        stream.write(
            f"SMS to {message.to} ({segments(message.text)} segment(s), "
            f"ref {message.reference}):\n{message.text}\n{'-' * 40}\n"
        )
        stream.flush()


class NoGateway(BaseBackend):
    """No SMS gateway: nothing is sent (and nobody is offered SMS)."""

    def send(self, message: Sms) -> None:
        raise SmsError("no SMS gateway is configured (SMS_BACKEND)")


def available() -> bool:
    return settings.SMS_BACKEND != "chamber.sms.NoGateway"


outbox: list[Sms] = []


class MemoryBackend(BaseBackend):
    """Keeps messages in `chamber.sms.outbox` (tests empty it)."""

    def send(self, message: Sms) -> None:
        outbox.append(message)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a new address: following it would carry the gateway's
    credentials (and the codes in the text) to whatever host it names."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


class HttpBackend(BaseBackend):
    """A gateway that takes the number, the text and a sender name as form parameters (or
    as JSON with SMS_GATEWAY_METHOD=JSON), with HTTP basic credentials or a bearer token.
    Any answer but a 2xx is a refusal, raised with its status and the start of its body."""

    def send(self, message: Sms) -> None:
        fields = {
            settings.SMS_GATEWAY_TO_PARAM: message.to,
            settings.SMS_GATEWAY_TEXT_PARAM: message.text,
        }
        if settings.SMS_GATEWAY_SENDER:
            fields[settings.SMS_GATEWAY_SENDER_PARAM] = settings.SMS_GATEWAY_SENDER
        if settings.SMS_GATEWAY_REFERENCE_PARAM and message.reference:
            fields[settings.SMS_GATEWAY_REFERENCE_PARAM] = message.reference
        method = settings.SMS_GATEWAY_METHOD.upper()
        url, body, headers = settings.SMS_GATEWAY_URL, None, {}
        if method == "GET":
            url = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(fields)}"
        elif method == "JSON":
            method, body = "POST", json.dumps(fields).encode()
            headers["Content-Type"] = "application/json"
        else:
            body = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if settings.SMS_GATEWAY_TOKEN:
            headers["Authorization"] = f"Bearer {settings.SMS_GATEWAY_TOKEN}"
        elif settings.SMS_GATEWAY_USER:
            pair = f"{settings.SMS_GATEWAY_USER}:{settings.SMS_GATEWAY_PASSWORD}".encode()
            headers["Authorization"] = f"Basic {base64.b64encode(pair).decode()}"
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with _opener.open(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as answer:
                answer.read(1024)
        except urllib.error.HTTPError as error:
            raise SmsError(f"gateway answered {error.code}: {error.read(200)!r}") from error
        except (urllib.error.URLError, OSError) as error:
            raise SmsError(f"gateway unreachable: {error}") from error


def get_backend() -> BaseBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(to: str, text: str, *, reference: str = "") -> None:
    """Send one SMS (written plainly) through the configured backend; SmsError (or any error
    of the backend) when it is not sent."""
    get_backend().send(Sms(to=str(to), text=plain(text), reference=reference))
