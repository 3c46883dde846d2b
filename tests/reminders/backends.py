import os
import uuid
from smtplib import SMTPServerDisconnected

from django.core.mail.backends import filebased
from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    """An SMTP server that has gone away."""

    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


class FileBackend(filebased.EmailBackend):
    """Django's file backend with a fresh file per connection, so that processes sending
    at the same moment never share one (the stock name is a timestamp and ``id(self)``)."""

    def _get_filename(self):
        if self._fname is None:
            self._fname = os.path.join(self.file_path, f"{uuid.uuid4().hex}.eml")
        return self._fname
