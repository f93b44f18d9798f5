"""moto's server on a loopback port, accepting sso.amazonaws.com as a delegated administrator's
service principal (moto 5.2 refuses it; AWS accepts it: the seed page registers one).

    python3 tests/aws/moto_server.py PORT      # serves until killed; prints "ready" when up

moto stands in for AWS's API shapes, not its behaviour (docs/import.md, "moto's gaps")."""
import sys
import time

import moto.organizations.models as orgs
from moto.server import ThreadedMotoServer

if "sso.amazonaws.com" not in orgs.FakeDelegatedAdministrator.SUPPORTED_SERVICES:
    orgs.FakeDelegatedAdministrator.SUPPORTED_SERVICES.append("sso.amazonaws.com")

port = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
server.start()
print("ready", flush=True)
try:
    while True:
        time.sleep(3600)
except KeyboardInterrupt:
    server.stop()
