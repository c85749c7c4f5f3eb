"""A real SMTP server for the tests, on 127.0.0.1: aiosmtpd with PLAIN authentication, refusing
recipients whose address starts with "rifiutato", and saving each accepted message to a folder.

Usage: python3 smtpd.py PORT FOLDER USER PASSWORD [CERT KEY]
With CERT and KEY it offers STARTTLS, requires it, and allows authentication only after it.
"""
import asyncio
import pathlib
import ssl
import sys
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, folder, user, password = int(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3], sys.argv[4]


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("rifiutato"):
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = folder / (uuid.uuid4().hex + ".eml")
        name.write_bytes(envelope.original_content)
        return "250 Message accepted"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
    return AuthResult(success=ok)


tls = {}
if len(sys.argv) > 6:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(sys.argv[5], sys.argv[6])
    tls = {"tls_context": context, "require_starttls": True, "auth_require_tls": True}
else:
    tls = {"auth_require_tls": False}
controller = Controller(Handler(), hostname="127.0.0.1", port=port, authenticator=authenticator,
                        auth_required=True, **tls)
controller.start()
print("ready", flush=True)
try:
    asyncio.get_event_loop().run_forever()
except KeyboardInterrupt:
    pass
finally:
    controller.stop()
